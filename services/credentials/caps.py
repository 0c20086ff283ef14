"""The credentials service's own limits."""

# A diploma as vc+jwt is a few KB; anything much larger is not one of ours.
MAX_CREDENTIAL_CHARS = 64 * 1024
# Languages a qualification's title may be given in.
MAX_TITLES = 24
