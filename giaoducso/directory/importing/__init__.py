"""Imports of schools, students and staff from CSV or XLSX: check the whole file, then write it at once."""
