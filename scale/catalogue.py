"""The shape of a county for seed_scale: Cambridgeshire's six partnerships, forty agencies, names, places and words.

Weights are shares of the county's cases. Everything seed_scale makes carries the "county-" prefix in its slug or
username, which is how it tells its own data from anyone else's.
"""

SCALE_PREFIX = "county-"

# (name, slug, short code, share of the county's cases, [(postcode district, town)])
PARTNERSHIPS = [
    ("Cambridge City Community Safety Partnership", "cambridge-city", "CCTY", 0.20,
     [("CB1", "Cambridge"), ("CB2", "Cambridge"), ("CB3", "Cambridge"), ("CB4", "Cambridge"), ("CB5", "Cambridge")]),
    ("East Cambridgeshire Community Safety Partnership", "east-cambridgeshire", "ECAS", 0.10,
     [("CB6", "Ely"), ("CB7", "Ely"), ("CB7", "Soham"), ("CB8", "Newmarket"), ("CB25", "Burwell")]),
    ("Fenland Community Safety Partnership", "fenland", "FENS", 0.15,
     [("PE13", "Wisbech"), ("PE14", "Wisbech"), ("PE15", "March"), ("PE16", "Chatteris"), ("PE7", "Whittlesey")]),
    ("Huntingdonshire Community Safety Partnership", "huntingdonshire", "HUNT", 0.16,
     [("PE26", "Ramsey"), ("PE27", "St Ives"), ("PE28", "Huntingdon"), ("PE29", "Huntingdon"), ("PE19", "St Neots")]),
    ("South Cambridgeshire Community Safety Partnership", "south-cambridgeshire", "SCAS", 0.12,
     [("CB21", "Sawston"), ("CB22", "Great Shelford"), ("CB23", "Cambourne"), ("CB24", "Cottenham"), ("SG8", "Melbourn")]),
    ("Safer Peterborough Partnership", "peterborough", "PBRO", 0.27,
     [("PE1", "Peterborough"), ("PE2", "Peterborough"), ("PE3", "Peterborough"), ("PE4", "Peterborough"), ("PE6", "Peterborough")]),
]
ALL = tuple(code for _, _, code, _, _ in PARTNERSHIPS)
CAMBS = tuple(code for code in ALL if code != "PBRO")

# (name, short name, slug, kind, statutory, partnerships served, weight as lead within each partnership, weight of staff)
# The police lead about a third of the county's cases; each district council about a quarter of its district's.
AGENCIES = [
    ("Cambridgeshire Constabulary", "Police", "police", "police", True, ALL, 33.0, 24.0),
    ("British Transport Police", "BTP", "btp", "police", True, ("CCTY", "PBRO", "ECAS"), 0.6, 0.5),
    ("Cambridgeshire Fire and Rescue Service", "Fire", "fire", "fire_rescue", True, ALL, 2.0, 2.0),
    ("Cambridgeshire Youth Offending Service", "YOS", "yos", "youth_offending", True, CAMBS, 4.0, 3.0),
    ("Peterborough Youth Offending Service", "PYOS", "pyos", "youth_offending", True, ("PBRO",), 4.0, 1.0),
    ("Cambridgeshire Locality Teams", "Locality", "locality", "locality_team", True, CAMBS, 2.5, 2.5),
    ("Cambridgeshire Drug and Alcohol Action Team", "DAAT", "daat", "drug_alcohol", True, CAMBS, 2.5, 1.5),
    ("Peterborough Drug and Alcohol Service", "PDAS", "pdas", "drug_alcohol", True, ("PBRO",), 2.5, 0.6),
    ("Cambridgeshire and Peterborough Probation Service", "Probation", "probation", "probation", True, ALL, 0.8, 1.5),
    ("Cambridgeshire and Peterborough NHS Foundation Trust", "CPFT", "cpft", "health", True, ALL, 0.6, 1.5),
    ("Victim Support Cambridgeshire", "Victim Support", "victim-support", "victim_support", False, ALL, 0.3, 1.0),
    ("Cambridgeshire Trading Standards", "Trading Standards", "trading-standards", "other", True, CAMBS, 0.3, 0.5),
    ("Cambridge City Council", "CCC", "cambridge-city-council", "district_council", True, ("CCTY",), 26.0, 3.0),
    ("East Cambridgeshire District Council", "ECDC", "ecdc", "district_council", True, ("ECAS",), 26.0, 1.6),
    ("Fenland District Council", "FDC", "fdc", "district_council", True, ("FENS",), 26.0, 2.0),
    ("Huntingdonshire District Council", "HDC", "hdc", "district_council", True, ("HUNT",), 26.0, 2.0),
    ("South Cambridgeshire District Council", "SCDC", "scdc", "district_council", True, ("SCAS",), 26.0, 1.8),
    ("Peterborough City Council", "PCC", "peterborough-city-council", "district_council", True, ("PBRO",), 24.0, 3.5),
    ("Sanctuary Housing", "Sanctuary", "sanctuary", "housing", False, ("ECAS", "FENS", "HUNT"), 6.0, 1.5),
    ("Cambridge Housing Society", "CHS", "chs", "housing", False, ("CCTY", "SCAS"), 5.0, 1.0),
    ("Accent Nene", "Accent", "accent", "housing", False, ("PBRO", "FENS"), 4.0, 0.8),
    ("Cross Keys Homes", "Cross Keys", "cross-keys", "housing", False, ("PBRO",), 8.0, 1.5),
    ("Roddons Housing Association", "Roddons", "roddons", "housing", False, ("FENS",), 6.0, 0.8),
    ("Chorus Homes", "Chorus", "chorus", "housing", False, ("HUNT",), 7.0, 1.2),
    ("Clarion Housing", "Clarion", "clarion", "housing", False, ("CCTY", "SCAS", "HUNT"), 3.0, 0.8),
    ("bpha", "bpha", "bpha", "housing", False, ("HUNT", "SCAS"), 2.0, 0.5),
    ("Hundred Houses Society", "Hundred Houses", "hundred-houses", "housing", False, ("CCTY",), 1.0, 0.3),
    ("Metropolitan Thames Valley Housing", "MTVH", "mtvh", "housing", False, ("CCTY", "PBRO"), 2.0, 0.5),
    ("Longhurst Group", "Longhurst", "longhurst", "housing", False, ("PBRO", "FENS"), 2.0, 0.5),
    ("Orbit Homes", "Orbit", "orbit", "housing", False, ("SCAS", "ECAS"), 2.0, 0.5),
    ("Flagship Homes", "Flagship", "flagship", "housing", False, ("ECAS", "FENS"), 2.0, 0.5),
    ("Havebury Housing", "Havebury", "havebury", "housing", False, ("ECAS",), 1.5, 0.3),
    ("Home Group", "Home Group", "home-group", "housing", False, ("PBRO",), 1.5, 0.4),
    ("Places for People", "PfP", "places-for-people", "housing", False, ("CCTY", "PBRO"), 1.5, 0.4),
    ("The Riverside Group", "Riverside", "riverside", "housing", False, ("PBRO",), 1.0, 0.3),
    ("Stonewater", "Stonewater", "stonewater", "housing", False, ("HUNT",), 1.0, 0.3),
    ("Axiom Housing", "Axiom", "axiom", "housing", False, ("PBRO",), 1.0, 0.3),
    ("Papworth Trust", "Papworth", "papworth", "other", False, ("SCAS", "HUNT"), 0.3, 0.3),
    ("Cambridge Cyrenians", "Cyrenians", "cyrenians", "other", False, ("CCTY",), 0.3, 0.2),
    ("Peterborough Women's Aid", "PWA", "pwa", "victim_support", False, ("PBRO",), 0.3, 0.2),
]

# Agencies that sit on each partnership's monthly ASB casework group (those that serve it).
GROUP_MEMBER_SLUGS = ("police", "fire", "yos", "pyos", "locality", "daat", "pdas", "probation",
                      "cambridge-city-council", "ecdc", "fdc", "hdc", "scdc", "peterborough-city-council",
                      "sanctuary", "cross-keys", "chorus", "roddons", "chs")

FIRST_NAMES = (
    "Oliver George Harry Jack Jacob Noah Charlie Muhammad Thomas Oscar William James Henry Leo Alfie Joshua Freddie "
    "Archie Ethan Isaac Alexander Joseph Edward Samuel Max Daniel Arthur Lucas Mohammed Logan Theo Harrison Benjamin "
    "Mason Sebastian Finley Adam Dylan Zachary Riley Teddy Theodore David Toby Jake Louie Elijah Reggie Luca Tommy "
    "Olivia Amelia Isla Ava Emily Isabella Mia Poppy Ella Lily Sophia Grace Evie Sophie Jessica Freya Charlotte Daisy "
    "Lucy Florence Scarlett Chloe Alice Phoebe Matilda Sienna Ruby Evelyn Millie Rosie Layla Holly Esme Imogen Erin "
    "Eva Elsie Harper Emilia Willow Maya Lola Ivy Zara Hannah Jasmine Aisha Amira Kacper Jakub Oliwia Zuzanna Andrei "
    "Maria Elena Tomasz Agnieszka Piotr Darius Ionut Gabriel Paul Mark Steven Gary Wayne Karen Tracey Julie Dawn "
    "Michelle Sharon Lee Craig Darren Dean Kelly Leanne Stacey Jade Kirsty Shane Ryan Liam Connor Kyle Callum Brandon"
).split()
LAST_NAMES = (
    "Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson Thompson Wright Walker "
    "White Edwards Hughes Green Hall Lewis Harris Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris "
    "Moore Clark Lee King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young "
    "Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Khan "
    "Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali "
    "Hunt Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens "
    "Jenkins Murray Dixon Harvey Graham Pearson Ahmed Fletcher Walsh Kaur Gibson Howard Andrews Stewart Elliott "
    "Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson Bradley Spencer Gill Dawson "
    "Ball Burton OBrien Watts Rose Booth Perry Ryan Grant Wells Armstrong Francis Rees Hayes Hart Hudson Newman "
    "Barrett Webster Hunter Gregory Carr Lowe Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins "
    "Harding Porter Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Shah Dean Lane Cooke Bates Henderson "
    "Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman Warren Nicholls Hamilton Byrne "
    "Sutton McDonald Yates Hodgson Robson Curtis Hopkins OConnor Harper Coleman Watkins Moss McCarthy Chambers "
    "Nowak Kowalski Wisniewski Popescu Ionescu Kazlauskas Petrov Novak Silva Santos"
).split()
STREETS = (
    "Acre Road|Station Road|High Street|Church Lane|Mill Road|Victoria Street|London Road|Queens Road|Broad Street|"
    "Market Street|Newmarket Road|Cherry Hinton Road|Lynn Road|Fen Road|Main Street|Chapel Street|Park Road|"
    "Orchard Way|Meadow Close|Willow Walk|Oak Drive|Ash Grove|Beech Avenue|Elm Road|Windsor Road|Kings Road|"
    "St Johns Road|Bridge Street|West End|North Street|South Street|Eastfield|The Green|School Lane|Back Lane|"
    "Cambridge Road|Ely Road|Huntingdon Road|Lincoln Road|Bourges Boulevard|Eastfield Road|Dogsthorpe Road|"
    "Coldhams Lane|Arbury Road|Kings Hedges Road|Histon Road|Hills Road|Perne Road|Barnwell Road|Ditton Walk"
).split("|")
WARDS = ("Central", "North", "South", "East", "West", "Riverside", "Castle", "Abbey", "Park", "Market", "Fen", "Priory")
SUMMARIES = {
    "neighbour-noise": ["Loud music late at night from {addr}", "Persistent shouting and banging reported by neighbours",
                        "Parties most weekends at {addr}", "Dog barking through the night"],
    "intimidation-harassment": ["Neighbour intimidated on the stairwell", "Threats made to a resident and her children",
                                "Group harassing an elderly resident", "Verbal abuse and damage to the victim's car"],
    "hate-motivated": ["Racist abuse shouted at a family", "Graffiti targeting a resident's religion",
                       "Homophobic abuse outside the victim's home"],
    "youth-asb": ["Young people gathering and throwing stones at windows", "Youths riding scooters at pedestrians",
                  "Groups of teenagers drinking in the play park"],
    "street-drinking": ["Street drinking outside the shops on {street}", "Drinking and urinating in the churchyard"],
    "drug-alcohol": ["Suspected drug dealing from {addr}", "Visitors at all hours, needles found in the garden"],
    "deliberate-fire-setting": ["Bins set alight behind {street}", "Fires started on the recreation ground"],
    "dog-fouling": ["Dog fouling on the footpath along {street}"],
    "fly-tipping": ["Fly tipping in the lay-by off {street}", "Builders' waste dumped by the garages"],
    "abandoned-vehicle": ["Untaxed van left on {street} for weeks"],
    "littering": ["Litter from the takeaway on {street}"],
    "criminal-damage-graffiti": ["Graffiti on the bus shelter", "Fences kicked in along {street}"],
    "vehicle-nuisance": ["Cars racing on {street} at night", "Motorbikes on the footpath by the river"],
    "council-open-space": ["ASB on the recreation ground off {street}", "Damage to the play area"],
    "tenancy-related": ["Tenant's visitors causing nuisance at {addr}", "Breach of tenancy: noise and threats"],
    "other": ["Ongoing dispute between neighbours on {street}"],
}
# Rough shares of kinds among new cases.
KIND_WEIGHTS = {
    "neighbour-noise": 20, "intimidation-harassment": 12, "hate-motivated": 2, "youth-asb": 14, "street-drinking": 4,
    "drug-alcohol": 6, "deliberate-fire-setting": 2, "dog-fouling": 4, "fly-tipping": 7, "abandoned-vehicle": 3,
    "littering": 3, "criminal-damage-graffiti": 6, "vehicle-nuisance": 6, "council-open-space": 3,
    "tenancy-related": 6, "other": 2,
}
INCIDENT_TEXTS = [
    "Caller reports loud music until 3am", "Victim says the subject shouted abuse in the street",
    "Group of youths kicking a football against cars", "Bin set on fire, fire service attended",
    "Neighbour banging on walls and door", "Threats made over the garden fence", "Eggs thrown at windows",
    "Car damaged overnight, victim suspects the subject", "Visitors arriving and leaving within minutes",
    "Drunken argument outside the property", "Dog left barking for hours", "Rubbish dumped in the communal area",
    "Abusive messages left on the victim's phone", "Motorbikes driven on the footpath", "Graffiti sprayed on the wall",
]
NOTE_TEXTS = [
    "Spoke to the victim, who says things have been quieter this week.",
    "Visited the address with the housing officer; no answer.",
    "Warning letter delivered by hand.", "Diary sheets received from the complainant.",
    "Case discussed with the PCSO for the area; extra patrols agreed.",
    "Subject attended the office and agreed to sign an ABC.",
    "Noise monitoring equipment installed for two weeks.", "Mediation offered to both parties.",
    "Safeguarding concerns shared with the locality team.", "Victim feels unsafe; risk assessment reviewed.",
    "Police report of a further incident received.", "Landlord informed of the tenancy breach.",
]
ACTION_TEXTS = [
    "Send a warning letter", "Visit the victim", "Arrange mediation", "Review the diary sheets",
    "Check the CCTV", "Contact the landlord", "Update the risk assessment", "Refer to the YOS",
    "Arrange a joint visit with the police", "Prepare the injunction file",
]
