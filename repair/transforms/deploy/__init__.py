"""Rules for what synth lets through and `terraform init` or `apply` rejects: backend arguments, dependencies
the API cannot infer, Lambda code and environment, names and versions AWS refuses."""
