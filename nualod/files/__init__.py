"""Files on disk: atomic writes of files and folders."""
