"""Icons and the style sheet, read with importlib.resources as reader.resources."""
