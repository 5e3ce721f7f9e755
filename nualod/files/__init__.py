"""Files on disk: atomic writes of files and folders, the writer lock, calls forked beside a
run, files hashed as they are written."""
