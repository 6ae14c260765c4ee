//! Static tables the synthetic workspace is drawn from (names, companies, topics).
//! Everything here is fictional; only well-known integration products are real names.

pub(crate) const FIRST_NAMES: &[&str] = &[
    "Ava", "Liam", "Maya", "Noah", "Priya", "Ethan", "Sofia", "Lucas", "Hannah", "Mateo", "Chloe",
    "Daniel", "Amara", "Oliver", "Grace", "Ravi", "Elena", "Marcus", "Yuki", "Jonah", "Fatima",
    "Caleb", "Ingrid", "Diego", "Naomi", "Samuel", "Leah", "Tomás", "Zoe", "Andre", "Mei", "Felix",
    "Aisha", "Henry", "Clara", "Omar", "Julia", "Kenji", "Rosa", "Victor", "Nadia", "Isaac",
    "Freya", "Arjun", "Lena", "Gabriel", "Tessa", "Hugo", "Imani", "Deshon", "Jennifer", "Ron",
    "Wei", "Sanjay",
];

pub(crate) const LAST_NAMES: &[&str] = &[
    "Patel",
    "Nguyen",
    "Garcia",
    "Okafor",
    "Schmidt",
    "Kowalski",
    "Johansson",
    "Rossi",
    "Tanaka",
    "Müller",
    "Fernandes",
    "O'Brien",
    "Haddad",
    "Kim",
    "Novak",
    "Dubois",
    "Alvarez",
    "Chen",
    "Singh",
    "Walker",
    "Bennett",
    "Moreau",
    "Larsen",
    "Costa",
    "Ivanova",
    "Mendoza",
    "Brooks",
    "Yamamoto",
    "Adeyemi",
    "Fischer",
    "Sullivan",
    "Lindqvist",
    "Reyes",
    "Park",
    "Hughes",
    "Varga",
    "Castillo",
    "Nakamura",
    "Abbott",
    "Whitfield",
    "Band",
    "White",
    "Speedman",
    "Delgado",
    "Kaur",
    "Romano",
];

/// (name, domain, industry)
pub(crate) const COMPANIES: &[(&str, &str, &str)] = &[
    ("Acme Logistics", "acmelogistics.com", "Logistics"),
    ("Globex Health", "globexhealth.com", "Healthcare"),
    ("Initech Financial", "initechfin.com", "Financial Services"),
    ("Umbrella Retail", "umbrellaretail.com", "Retail"),
    ("Stark Manufacturing", "starkmfg.com", "Manufacturing"),
    ("Wayne Hospitality", "waynehospitality.com", "Hospitality"),
    ("Hooli Media", "hoolimedia.io", "Media"),
    ("Vandelay Imports", "vandelayimports.com", "Wholesale"),
    ("Soylent Foods", "soylentfoods.com", "Food & Beverage"),
    ("Cyberdyne Robotics", "cyberdynerobotics.ai", "Robotics"),
    ("Tyrell Biotech", "tyrellbio.com", "Biotech"),
    ("Massive Dynamic Energy", "massivedynamic.energy", "Energy"),
    ("Pied Piper Storage", "piedpiper.io", "Software"),
    (
        "Dunder Paper Co",
        "dunderpaper.com",
        "Paper & Office Supplies",
    ),
    ("Oceanic Airlines", "oceanicair.com", "Aviation"),
    ("Gringotts Banking Group", "gringottsbank.co.uk", "Banking"),
    ("Monarch Insurance", "monarchinsure.com", "Insurance"),
    ("Blue Sun Telecom", "bluesuntel.com", "Telecommunications"),
    ("Nakatomi Trading", "nakatomi.co.jp", "Trading"),
    ("Wonka Confectionery", "wonkacandy.com", "Consumer Goods"),
    ("Aperture Labs", "aperturelabs.science", "Research"),
    ("Duff Beverages", "duffbev.com", "Beverages"),
    ("Prestige Worldwide", "prestigeworldwide.events", "Events"),
    ("Cobalt Freight", "cobaltfreight.com", "Logistics"),
];

pub(crate) const CONTACT_TITLES: &[&str] = &[
    "VP of Operations",
    "Director of IT",
    "Head of Revenue Operations",
    "Chief Financial Officer",
    "Procurement Manager",
    "Senior Data Engineer",
    "IT Security Lead",
    "VP Sales",
    "Operations Manager",
    "Chief Technology Officer",
    "Director of Customer Success",
    "Business Analyst",
    "Head of Analytics",
    "Controller",
    "Enterprise Architect",
    "Program Manager",
];

/// Fictional competitors; the "Competitors" tracker's phrases come from here.
pub(crate) const COMPETITORS: &[&str] = &[
    "Zlymbo",
    "Veritrack",
    "Lumetra",
    "Clarivo",
    "Brightlane",
    "Quorra",
    "Stackwise",
    "Datafuse",
];

pub(crate) const INTEGRATIONS: &[&str] = &[
    "Salesforce",
    "HubSpot",
    "Snowflake",
    "Slack",
    "Okta",
    "Zendesk",
    "Microsoft Teams",
    "NetSuite",
    "BigQuery",
    "Workday",
];

pub(crate) const PRODUCT_SUFFIXES: &[&str] = &["Cloud", "Platform", "Insights", "Hub", "Studio"];

pub(crate) const WEEKDAYS: &[&str] = &["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"];

pub(crate) const OPPORTUNITY_STAGES: &[&str] = &[
    "Qualification",
    "Discovery",
    "Solution Design",
    "Proposal",
    "Negotiation",
    "Closed Won",
    "Open Renewal",
];

/// Call outcomes Gong's `content.callOutcome` can carry: (id, category, name).
pub(crate) const OUTCOMES_ANSWERED: &[(&str, &str, &str)] = &[
    ("MEETING_BOOKED", "Answered", "Meeting booked"),
    ("QUALIFIED", "Answered", "Qualified"),
    ("FOLLOW_UP_SCHEDULED", "Answered", "Follow-up scheduled"),
    ("NOT_INTERESTED", "Answered", "Not interested"),
    ("NEXT_STEPS_AGREED", "Answered", "Next steps agreed"),
];
pub(crate) const OUTCOMES_UNANSWERED: &[(&str, &str, &str)] = &[
    ("LEFT_VOICEMAIL", "Not answered", "Left voicemail"),
    ("NO_ANSWER", "Not answered", "No answer"),
];

pub(crate) const SDR_DISPOSITIONS: &[&str] = &[
    "Connected",
    "Got the gatekeeper",
    "Left voicemail",
    "No answer",
    "Meeting set",
];
