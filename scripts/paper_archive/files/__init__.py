"""Files: the strict YAML loader and dumper, atomic text writes and the untrusted cache
folder.
"""
