"""qexplore's headless core: Arabic text, segmentation, extraction and the SQLite store."""
