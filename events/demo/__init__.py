"""Demo data for Helsingør's culture platform: real venues, a generated season, generated images.

Used by `manage.py load_demo`; nothing here is imported by the running site.
"""
