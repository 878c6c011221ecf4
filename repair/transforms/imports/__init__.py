"""Rules that put every name where the installed provider, cdktf and Python have it: provider classes in
their own submodules, imports the code forgot."""
