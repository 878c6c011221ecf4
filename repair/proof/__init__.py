"""The proof of a repair: an answer laid out as a project, synthesized with the real cdktf and provider in a
long-lived worker, and the Terraform JSON checked by every rule's own check."""
