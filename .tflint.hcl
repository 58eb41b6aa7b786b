# tflint for modules/ and examples/ (make lint). The bundled terraform
# ruleset needs no plugin download; every rule is on.
config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "all"
}
