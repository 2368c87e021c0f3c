"""The archive on disk: paper pages, the docs/ layout, site pages, theme files, the archive
as a whole and its validation.
"""
