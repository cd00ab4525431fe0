"""Input side: reading, checking and describing brief specifications.

Nothing under this package knows about reportlab or python-docx.
"""
