"""The controller profiles that ship with Reverie (docs/controllers.md): TOML files, data only."""
