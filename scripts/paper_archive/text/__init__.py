"""Text utilities: the characters a page may hold, inert abstracts, sanitised HTML and TeX
math.
"""
