"""The national kinds of ASB, by category, loaded on first migration; administrators may edit them."""

ASB_KINDS = [
    ("neighbour-noise", "Neighbour noise", "nuisance"),
    ("intimidation-harassment", "Intimidation or harassment", "personal"),
    ("hate-motivated", "Hate-motivated", "personal"),
    ("youth-asb", "Youth ASB", "nuisance"),
    ("street-drinking", "Street drinking", "nuisance"),
    ("drug-alcohol", "Drug or alcohol related", "nuisance"),
    ("deliberate-fire-setting", "Deliberate fire setting", "environmental"),
    ("dog-fouling", "Dog fouling", "environmental"),
    ("fly-tipping", "Fly tipping", "environmental"),
    ("abandoned-vehicle", "Abandoned vehicle", "environmental"),
    ("littering", "Littering", "environmental"),
    ("criminal-damage-graffiti", "Criminal damage or graffiti", "environmental"),
    ("vehicle-nuisance", "Vehicle nuisance", "nuisance"),
    ("council-open-space", "ASB on council open space", "environmental"),
    ("tenancy-related", "Tenancy-related", "nuisance"),
    ("other", "Other", "nuisance"),
]
