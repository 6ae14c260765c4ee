//! Sentence templates for transcripts and Spotlight-style summaries.
//! Placeholders: {c} customer, {us} our company, {product}, {comp} competitor,
//! {int} integration, {ind} industry, {host} host's first name, {name} the
//! person addressed, {contact} main external contact, {day}, {n}, {seats},
//! {amt}, {pain}.

use super::catalog::{COMPETITORS, WEEKDAYS};
use super::model::{Call, CallKind, Workspace};
use super::rng::Rng;

/// Names and facts a call's text is filled with.
pub(crate) struct Ctx {
    pub customer: String,
    pub us: String,
    pub product: String,
    pub competitor: String,
    pub integration: String,
    pub industry: String,
    pub host: String,
    pub contact: String,
    pub amount: u64,
    pub pain: &'static str,
}

const PAINS: &[&str] = &[
    "consolidate reporting across regions",
    "cut the manual data entry in their sales process",
    "get a single view of customer health",
    "replace the spreadsheets they use for forecasting",
    "onboard new reps faster",
    "see which deals are actually at risk",
];

impl Ctx {
    pub(crate) fn new(ws: &Workspace, call: &Call) -> Ctx {
        let company = call.company.and_then(|i| ws.companies.get(i));
        let host = ws.user(&call.primary_user_id);
        let contact = call
            .parties
            .iter()
            .find(|p| p.affiliation == "External")
            .and_then(|p| p.name.as_deref())
            .and_then(|n| n.split_whitespace().next())
            .unwrap_or("everyone");
        let mut rng = Rng::derive(ws.seed, "ctx", super::rng::hash_str(&call.title));
        Ctx {
            customer: company
                .map(|c| c.name.clone())
                .unwrap_or_else(|| "the team".into()),
            us: ws
                .company
                .split_whitespace()
                .next()
                .unwrap_or(&ws.company)
                .to_string(),
            product: ws.product.clone(),
            competitor: company
                .map(|c| c.competitor.clone())
                .unwrap_or_else(|| rng.pick(COMPETITORS).to_string()),
            integration: company
                .map(|c| c.integration.clone())
                .unwrap_or_else(|| "Salesforce".into()),
            industry: company
                .map(|c| c.industry.to_lowercase())
                .unwrap_or_else(|| "software".into()),
            host: host
                .map(|u| u.first_name.clone())
                .unwrap_or_else(|| "the rep".into()),
            contact: contact.to_string(),
            amount: company.map(|c| c.opportunity.amount).unwrap_or(60_000),
            pain: rng.pick_str(PAINS),
        }
    }
}

fn money(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("${out}")
}

/// Replaces the placeholders of `template`; `name` is the person addressed.
pub(crate) fn fill(rng: &mut Rng, ctx: &Ctx, template: &str, name: &str) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let key = &rest[open + 1..open + close];
        match key {
            "c" => out.push_str(&ctx.customer),
            "us" => out.push_str(&ctx.us),
            "product" => out.push_str(&ctx.product),
            "comp" => out.push_str(&ctx.competitor),
            "int" => out.push_str(&ctx.integration),
            "ind" => out.push_str(&ctx.industry),
            "host" => out.push_str(&ctx.host),
            "name" => out.push_str(name),
            "contact" => out.push_str(&ctx.contact),
            "day" => out.push_str(rng.pick_str(WEEKDAYS)),
            "n" => out.push_str(&rng.range(2, 40).to_string()),
            "seats" => out.push_str(&(rng.range(4, 60) * 5).to_string()),
            "amt" => out.push_str(&money(ctx.amount)),
            "pain" => out.push_str(ctx.pain),
            other => {
                out.push('{');
                out.push_str(other);
                out.push('}');
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// (topic, lines for the host's side, lines for the other side)
pub(crate) const TOPIC_LINES: &[(&str, &[&str], &[&str])] = &[
    (
        "Call Setup",
        &[
            "Hi {name}, can you hear me okay?",
            "Great, looks like everyone's here, so let's get started.",
            "Just a heads up, I'm recording this so I can focus on the conversation, is that alright?",
            "I've got us down for thirty minutes, does that still work on your end?",
            "Let me share my screen real quick.",
            "Can everyone see my screen now?",
        ],
        &[
            "Yep, I can hear you fine.",
            "Sorry, I was on mute there.",
            "Sure, recording is fine with us.",
            "Thirty minutes works, I have a hard stop at the top of the hour though.",
            "Yes, I can see it.",
            "Give me one second, my video is acting up.",
        ],
    ),
    (
        "Small Talk",
        &[
            "How was your weekend, {name}?",
            "Are you working from the office this week or from home?",
            "I saw the weather's been rough out your way.",
            "Did you end up making it to the conference last week?",
            "I was just in your area for a customer visit actually.",
        ],
        &[
            "It was good, pretty quiet, we mostly stayed in.",
            "Home today, the office is a bit of a zoo on {day}s.",
            "Yeah, it's been raining nonstop for days.",
            "I did, it was a good event, lots of people talking about AI.",
            "Oh nice, we should grab a coffee next time you're in town.",
        ],
    ),
    (
        "Discovery",
        &[
            "So tell me a bit about how your team handles this today.",
            "What's driving the interest in solving this right now?",
            "Who else is involved when you make a decision like this?",
            "How many people on your team would be using this day to day?",
            "What happens if you don't fix this in the next six months?",
            "When you say it takes too long, roughly how many hours a week are we talking?",
            "What does success look like for you a year from now?",
            "Have you tried solving this before, and what got in the way?",
            "How are you measuring that today?",
            "That's helpful, walk me through what happens after a deal closes.",
        ],
        &[
            "Right now it's mostly spreadsheets and a lot of copy and paste.",
            "Our leadership wants us to {pain} before the end of the year.",
            "I'd say we have about {seats} people who would touch it every day.",
            "Honestly, we lose a couple of days every month just pulling reports together.",
            "The CFO will have the final say, but I'm running the evaluation.",
            "We tried building something in house, but it never really got adopted.",
            "Our biggest problem is that nobody trusts the numbers.",
            "We grew really fast last year and the process didn't keep up.",
            "Success would be that my team stops chasing data and starts acting on it.",
            "We're in {ind}, so a lot of our data is pretty messy.",
        ],
    ),
    (
        "Product Demo",
        &[
            "So this is the main dashboard your managers would land on.",
            "Let me show you how this works with a real example.",
            "Here you can filter by region, team or individual rep.",
            "Everything you see here updates automatically, nobody has to export anything.",
            "If I click into this account, you get the full history in one place.",
            "This is the part most of our customers in {ind} use the most.",
            "You can set up alerts so the right person gets notified right away.",
            "Does this match how you'd want to see it?",
        ],
        &[
            "Oh, that's a lot cleaner than what we have today.",
            "Can I customize which columns show up there?",
            "How long does it take for new data to show up?",
            "Could a manager see only their own team?",
            "That alert piece is interesting, can it go to Slack?",
            "Can you go back to the previous screen for a second?",
            "So would this replace our weekly report?",
        ],
    ),
    (
        "Integrations",
        &[
            "We have a native integration with {int}, it takes about a day to set up.",
            "Everything is also available through our REST API.",
            "The sync runs every fifteen minutes by default.",
            "Which version of {int} are you on today?",
            "We can map your custom fields during onboarding.",
            "Most customers connect {int} first and then add the rest over time.",
        ],
        &[
            "Our main system of record is {int}, so that one is critical.",
            "Do you support custom objects?",
            "We have a small data team that could work with the API.",
            "Is the sync two way, or read only?",
            "What happens if the integration breaks, do we get notified?",
            "We also have an old homegrown system that we'd need to pull from.",
        ],
    ),
    (
        "Security",
        &[
            "We're SOC 2 Type II certified and I can send over the report.",
            "We support SSO through Okta, Azure AD and Google.",
            "All data is encrypted at rest and in transit.",
            "We can host your data in the EU if that's a requirement.",
            "We run an external pen test every year.",
            "Happy to fill out your security questionnaire.",
        ],
        &[
            "Our security team will want to see the SOC 2 report.",
            "Do you support SCIM for user provisioning?",
            "Where is the data stored, and who has access to it?",
            "We have to be GDPR compliant, so data residency matters.",
            "How long do you retain the data after we leave?",
            "We'll need a DPA signed before any pilot.",
        ],
    ),
    (
        "Pricing",
        &[
            "Pricing is per seat, billed annually.",
            "For {seats} seats we'd be looking at around {amt} a year.",
            "If you sign a two year agreement, we can do a better rate.",
            "The platform fee includes onboarding and support.",
            "Let me put together a proposal with a couple of options.",
            "Is there a budget already set aside for this?",
        ],
        &[
            "That's a bit higher than what we had budgeted.",
            "Does that include implementation, or is that extra?",
            "We'd need to get sign-off from finance for anything over {amt}.",
            "Is there any flexibility on the per seat pricing?",
            "Can we start with a smaller team and expand later?",
            "We usually do annual contracts, so that works.",
        ],
    ),
    (
        "Objections",
        &[
            "That's a fair concern, a lot of our customers felt the same way at first.",
            "What would you need to see to feel comfortable with that?",
            "Let me connect you with a customer who had the same question.",
            "I hear you, let's make sure it's worth the effort before you commit.",
            "We can structure a pilot so there's very little risk on your side.",
        ],
        &[
            "I'm worried about how long the rollout would take.",
            "My team is already stretched thin, I'm not sure they'd adopt another tool.",
            "We just signed a contract with another vendor last year.",
            "I'm not sure we can justify the cost right now.",
            "No wait, I think we should check that out first.",
            "Honestly the timing isn't great for us.",
        ],
    ),
    (
        "Competition",
        &[
            "Are you looking at any other solutions right now?",
            "A lot of teams compare us with {comp}.",
            "The main difference with {comp} is how quickly you get value.",
            "Customers who switched from {comp} usually mention the reporting.",
        ],
        &[
            "We're also talking to {comp}.",
            "{comp} came in a bit cheaper, to be honest.",
            "We used {comp} at my last company and it was fine, nothing special.",
            "What makes you different from {comp}?",
        ],
    ),
    (
        "Timeline",
        &[
            "When would you ideally want this up and running?",
            "Is there an event driving that date?",
            "Working backwards, we'd need a decision by the end of the month.",
            "What does your procurement process usually look like?",
        ],
        &[
            "We'd like to have something in place before next quarter.",
            "Our planning kicks off in about six weeks.",
            "Procurement usually takes two to three weeks on our side.",
            "There's no hard deadline, but the sooner the better.",
        ],
    ),
    (
        "Next Steps",
        &[
            "So for next steps, I'll send over a recap and the proposal.",
            "Can we get thirty minutes on the calendar for {day} with your IT team?",
            "I'll share the security documentation by end of day.",
            "Would it make sense to loop in your CFO on the next call?",
            "Let me set up a trial environment for your team.",
        ],
        &[
            "That works, send me a calendar invite.",
            "{day} afternoon is better for us.",
            "I'll talk to my boss and get back to you by {day}.",
            "Can you send over a couple of customer references too?",
            "Sounds good, I'll loop in our IT lead.",
        ],
    ),
    (
        "Wrap-up",
        &[
            "Thanks so much for your time today, {name}.",
            "This was really helpful, I'll follow up by email.",
            "Anything else we should have covered?",
        ],
        &[
            "Thank you, this was great.",
            "No, I think that covers it for now.",
            "Talk soon, have a good rest of your day.",
        ],
    ),
    (
        "Onboarding",
        &[
            "Welcome aboard, we're excited to get you live.",
            "The first two weeks are all about getting the data connected.",
            "We'll run a training session for your managers first.",
            "I'll be your main point of contact during onboarding.",
        ],
        &[
            "Who should we involve from our side for the setup?",
            "Our goal is to have the first team live in thirty days.",
            "Can we record the training for people who can't make it?",
            "We have a company offsite in two weeks, so let's plan around that.",
        ],
    ),
    (
        "Adoption",
        &[
            "Usage is up about {n} percent since last quarter.",
            "Your managers are logging in almost every day now.",
            "The east team hasn't really picked it up yet, so let's talk about that.",
            "Here are the reports your team uses the most.",
        ],
        &[
            "That matches what we're hearing from the team.",
            "The east team had a lot of turnover, that's probably why.",
            "Can we get a refresher training for the new hires?",
            "We'd love to see how other {ind} customers use it.",
        ],
    ),
    (
        "Pipeline",
        &[
            "Let's go through the deals closing this month.",
            "{name}, where are we with {c}?",
            "What's the next step on that one, and is it on the calendar?",
            "I want to see a mutual action plan on anything over fifty thousand.",
        ],
        &[
            "{c} is looking good, we have the pricing call on {day}.",
            "That one slipped, their champion went on leave.",
            "I'm still waiting on legal to send back the redlines.",
            "I think we can pull that one into this quarter.",
        ],
    ),
    (
        "Forecast",
        &[
            "Where do you want to call the quarter?",
            "What's your commit versus best case?",
            "What would have to happen for that deal to close this month?",
        ],
        &[
            "I'd commit {amt} and keep two deals in best case.",
            "I'm comfortable with the commit, the upside is {c}.",
            "If {c} signs by Friday we're over the number.",
        ],
    ),
    (
        "Deal Strategy",
        &[
            "Let's figure out who the real decision maker is at {c}.",
            "We need to get in front of their CFO before the proposal goes out.",
            "How strong is our champion over there?",
            "What's our plan if they push on price?",
        ],
        &[
            "Our champion is strong but she doesn't own the budget.",
            "I think {comp} is the incumbent, so we need to show quick wins.",
            "We could offer a pilot to reduce the risk for them.",
            "I'll ask {contact} for an intro to their CFO.",
        ],
    ),
    (
        "Coaching",
        &[
            "Let's listen to the part where pricing came up.",
            "You did a great job asking open questions early on.",
            "I'd try to let the customer talk a bit more in discovery.",
            "What would you do differently next time?",
        ],
        &[
            "I felt like I rushed through the demo.",
            "I wasn't sure how to answer the question about {comp}.",
            "Next time I'd confirm the next step before we hang up.",
            "That's fair, I'll work on pausing more.",
        ],
    ),
    (
        "Voicemail",
        &[
            "Hi {name}, this is {host} from {us}.",
            "I'm reaching out because we help {ind} teams {pain}.",
            "I'll send you a quick email as well, feel free to call me back.",
            "Have a great rest of your day.",
        ],
        &["Hi, you've reached my voicemail, please leave a message."],
    ),
];

/// Short reactions, for one-sentence turns.
pub(crate) const BACKCHANNELS: &[&str] = &[
    "Yeah.",
    "Right.",
    "Okay.",
    "Got it.",
    "Makes sense.",
    "Mm-hmm.",
    "Sure.",
    "Exactly.",
    "That's fair.",
    "Interesting.",
    "Yeah, totally.",
    "Okay, cool.",
];

pub(crate) fn topic_lines(topic: &str) -> (&'static [&'static str], &'static [&'static str]) {
    TOPIC_LINES
        .iter()
        .find(|(t, _, _)| *t == topic)
        .map(|(_, a, b)| (*a, *b))
        .unwrap_or((TOPIC_LINES[2].1, TOPIC_LINES[2].2))
}

pub(crate) fn brief(rng: &mut Rng, ctx: &Ctx, call: &Call) -> String {
    let t = if call.kind.is_internal() {
        "{host} led a {label} with the team. They reviewed open opportunities including {c}, \
         discussed risks from {comp}, and agreed on owners for the next steps before {day}."
    } else {
        match rng.below(3) {
            0 => {
                "{contact} from {c} met with {host} for a {label}. {c} wants to {pain} and is comparing \
                  {us} with {comp}. They discussed integrations with {int}, pricing around {amt}, and timing. \
                  Next, {host} will send a proposal and schedule a follow-up for {day}."
            }
            1 => {
                "{host} walked {c} through {product} during a {label}. The team in {ind} is looking to {pain}. \
                  Questions focused on {int}, security and rollout. {contact} will bring the proposal to \
                  finance, and both sides agreed to reconnect on {day}."
            }
            _ => {
                "In this {label}, {c} shared that they need to {pain}. {host} covered how {product} compares \
                  with {comp} and outlined next steps, including a security review and a pricing proposal."
            }
        }
    };
    fill(
        rng,
        ctx,
        &t.replace("{label}", &call.kind.label().to_lowercase()),
        &ctx.contact,
    )
}

pub(crate) fn outline_item(rng: &mut Rng, ctx: &Ctx, topic: &str) -> String {
    let t = match topic {
        "Discovery" => *rng.pick(&[
            "{c} described their current process and the need to {pain}.",
            "Reviewed who is involved in the buying decision.",
            "Discussed the team size ({seats} users).",
        ]),
        "Pricing" => *rng.pick(&[
            "{host} presented pricing for {seats} seats.",
            "{c} asked about discounts for a multi-year deal.",
        ]),
        "Integrations" => *rng.pick(&[
            "Reviewed the {int} integration and sync frequency.",
            "{c} asked about API access.",
        ]),
        "Security" => *rng.pick(&[
            "Covered SOC 2, SSO and data residency.",
            "{c} requested the security questionnaire.",
        ]),
        "Competition" => "{c} is also evaluating {comp}.",
        "Product Demo" => *rng.pick(&[
            "{host} demoed dashboards and alerts.",
            "Walked through account history and filters.",
        ]),
        "Next Steps" => *rng.pick(&[
            "Agreed to a follow-up on {day}.",
            "{host} to send a recap and proposal.",
        ]),
        "Objections" => *rng.pick(&[
            "{c} raised concerns about rollout effort.",
            "Discussed budget timing concerns.",
        ]),
        "Timeline" => "{c} wants to go live before next quarter.",
        _ => *rng.pick(&[
            "Introductions and agenda.",
            "General discussion.",
            "Reviewed open items.",
        ]),
    };
    fill(rng, ctx, t, &ctx.contact)
}

pub(crate) fn next_step(rng: &mut Rng, ctx: &Ctx) -> String {
    let t = *rng.pick(&[
        "{host} to send the proposal by {day}.",
        "Schedule a technical deep dive with the {c} IT team.",
        "Share the SOC 2 report and security documentation.",
        "{contact} to confirm budget with finance.",
        "Set up a trial environment for {seats} users.",
    ]);
    fill(rng, ctx, t, &ctx.contact)
}

pub(crate) fn pain_point(rng: &mut Rng, ctx: &Ctx) -> String {
    let t = *rng.pick(&[
        "The team needs to {pain}.",
        "Reporting takes days of manual work every month.",
        "Leadership does not trust the current numbers.",
        "Their previous in-house tool was never adopted.",
    ]);
    fill(rng, ctx, t, &ctx.contact)
}

pub(crate) fn key_point(rng: &mut Rng, ctx: &Ctx, kind: CallKind) -> String {
    let t = if kind.is_internal() {
        *rng.pick(&[
            "Two deals slipped to next month.",
            "{c} is the largest upside this quarter.",
            "Reps should confirm next steps before ending calls.",
            "Mutual action plans are required above fifty thousand.",
        ])
    } else {
        *rng.pick(&[
            "{c} wants to {pain}.",
            "{c} is also evaluating {comp}.",
            "Integration with {int} is a must-have.",
            "Budget is around {amt} and needs CFO sign-off.",
            "Security review is required before a pilot.",
            "Target go-live is next quarter.",
            "About {seats} users would use {product} daily.",
        ])
    };
    fill(rng, ctx, t, &ctx.contact)
}

pub(crate) fn comment(rng: &mut Rng, ctx: &Ctx) -> String {
    let t = *rng.pick(&[
        "Great discovery questions here.",
        "Might be helpful to loop in the SE on the {int} question.",
        "Nice job handling the pricing objection.",
        "Let's make sure we send the security docs today.",
        "Good call, {c} sounds like a strong fit.",
        "Watch the talk ratio here, let them speak more.",
    ]);
    fill(rng, ctx, t, &ctx.contact)
}
