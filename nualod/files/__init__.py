"""Files on disk: atomic writes of files and folders, the writer lock, calls forked beside a
run, Python programs started beside it, files hashed as they are written."""
