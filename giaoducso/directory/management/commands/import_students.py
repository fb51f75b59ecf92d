from giaoducso.directory.importing.command import ImportCommand


class Command(ImportCommand):
    help = "Import students from a CSV or XLSX file: all rows or none (exit 1 with a row-by-row report)."
    kind = "students"
