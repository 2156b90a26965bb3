"""Page views, one module per audience. Each view parses, calls one service or selector, renders."""
