"""Rules that pass every provider argument in the shape and type the installed signatures declare: blocks as
lists or objects, struct classes, literal types, keywords the provider renamed or never had."""
