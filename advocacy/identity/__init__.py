"""Enterprise identity: SCIM provisioning (identity.scim) and SAML sign-in (identity.saml).

One Django app (label ``identity``) so both halves share one migrations history.
Models live in ``advocacy.identity.models`` which re-exports each half's models.
"""
