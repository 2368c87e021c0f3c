#!/usr/bin/env bash
# quote-lines.sh REGEX LOG: the lines of LOG that match REGEX (an awk regular expression,
# any case), quoted for a pull request's body: each line indented by four spaces, so that
# Markdown reads the whole as one code block and nothing in it as a link, a mention or
# HTML; control characters dropped, each line cut at 300 characters, at most 200 lines.
# "(none)" when no line matches. The lines are untrusted (titles and reasons from an
# API's response): this script only copies text, in plain awk.
set -euo pipefail

pattern="${1:?usage: quote-lines.sh REGEX LOG}"
log="${2:?usage: quote-lines.sh REGEX LOG}"
if [ ! -f "$log" ] || [ -L "$log" ]; then
    echo "(the run left no log)"
    exit 0
fi
tr -d '\000-\010\013-\037\177' < "$log" | awk -v pattern="$pattern" '
    tolower($0) ~ tolower(pattern) {
        found++
        if (found <= 200) print "    " substr($0, 1, 300)
    }
    END {
        if (!found) print "(none)"
        else if (found > 200) printf "\n(%d more in the run'"'"'s log)\n", found - 200
    }'
