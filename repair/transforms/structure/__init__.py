"""Rules that make the module and its construct tree build: the stack's contract with the project's entry,
tokens read with Terraform's functions, unique construct ids, Python that imports."""
