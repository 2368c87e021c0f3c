"""Tests of paper_archive.search and of the search front end it feeds."""
