"""Small pieces every app shares and that know no app: the domain error, the form helper, admin mixins.

core imports nothing first-party, so any app may import it."""
