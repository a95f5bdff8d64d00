"""Command line front end: placeholder until the align command lands."""
def main(argv=None) -> int:
    return 0
