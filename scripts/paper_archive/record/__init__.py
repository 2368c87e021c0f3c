"""The paper record: its fields, slugs, arXiv ids, topic tagging and the contributors'
field help.
"""
