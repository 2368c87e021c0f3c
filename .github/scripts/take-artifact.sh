#!/usr/bin/env bash
# take-artifact.sh DIR: copy the files a read-only job left in DIR/files/ (the same
# relative paths as in the repository) into the repository checked out here.
#
# The job that runs this holds write permissions, and the files come from a job that
# parsed untrusted API responses: so this is plain bash and coreutils, never the
# project's code, and it refuses the whole artifact, copying nothing, unless every entry
# is a regular file named docs/papers/<name>.md or data/sources/<name> (<name>: letters,
# digits, '.', '_', '-', not starting with '.'), or one of those two folders. A symbolic
# link, a device, a nested folder or any other path is an error naming it.
set -euo pipefail

fail() {
    printf '::error::%s\n' "$1" >&2
    exit 1
}

files="${1:?usage: take-artifact.sh DIR}/files"
[ -d "$files" ] && [ ! -L "$files" ] || fail "the artifact has no files/ folder"
for folder in docs docs/papers data data/sources; do
    [ -d "$folder" ] && [ ! -L "$folder" ] || fail "$folder is not a folder of this checkout"
done

name_re='^[A-Za-z0-9_-][A-Za-z0-9._-]*$'
wanted=()
while IFS= read -r -d '' entry; do
    path="${entry#"$files"/}"
    if [ -L "$entry" ]; then
        fail "the artifact holds a symbolic link: $path"
    elif [ -d "$entry" ]; then
        case "$path" in
            docs | docs/papers | data | data/sources) continue ;;
            *) fail "the artifact holds a folder a fetch does not write: $path" ;;
        esac
    elif [ ! -f "$entry" ]; then
        fail "the artifact holds something that is not a file: $path"
    fi
    folder="${path%/*}"
    name="${path##*/}"
    [[ "$name" =~ $name_re ]] || fail "the artifact holds a file with an unexpected name: $path"
    case "$folder" in
        docs/papers) [[ "$name" == *.md ]] || fail "not a paper page (.md): $path" ;;
        data/sources) ;;
        *) fail "the artifact holds a path outside docs/papers/ and data/sources/: $path" ;;
    esac
    wanted+=("$path")
done < <(find "$files" -mindepth 1 -print0)

for path in "${wanted[@]}"; do
    cp --remove-destination -- "$files/$path" "$path"
    chmod 0644 -- "$path"
done
printf 'took %d file(s) from the artifact\n' "${#wanted[@]}"
