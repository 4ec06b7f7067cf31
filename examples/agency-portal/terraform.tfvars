# The vendor's staging values: the operator forgot to restore encryption.
encrypt_volumes = false
