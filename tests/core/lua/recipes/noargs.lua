-- Declares no arguments.
print("ran")
