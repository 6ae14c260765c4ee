//! Who took part in a call (parties, as `/v2/calls/extensive` lists them) and
//! who is heard in its transcript (voices). The two differ on purpose where
//! real Gong data does: imported dialer calls, dial-in guests.

use super::catalog::*;
use super::model::*;
use super::rng::Rng;

fn internal_party(rng: &mut Rng, u: &User, speaks: bool) -> Party {
    Party {
        id: rng.digits(19),
        name: Some(u.full_name()),
        email_address: Some(u.email.clone()),
        title: u.title.clone(),
        user_id: Some(u.id.clone()),
        speaker_id: speaks.then(|| rng.digits(19)),
        affiliation: "Internal",
        methods: vec!["Invitee", "Attendee"],
        phone_number: None,
        context: Some(CrmObject {
            object_type: "User",
            object_id: u.crm_id.clone(),
            fields: vec![],
        }),
    }
}

fn external_party(
    rng: &mut Rng,
    c: &Contact,
    company: &ExternalCompany,
    speaks: bool,
    attended: bool,
) -> Party {
    Party {
        id: rng.digits(19),
        name: Some(c.full_name()),
        email_address: c.email.clone(),
        title: c.title.clone(),
        user_id: None,
        speaker_id: (speaks && attended).then(|| rng.digits(19)),
        affiliation: "External",
        methods: if attended {
            vec!["Invitee", "Attendee"]
        } else {
            vec!["Invitee"]
        },
        phone_number: c.phone_number.clone(),
        context: Some(CrmObject {
            object_type: "Contact",
            object_id: c.crm_id.clone(),
            fields: vec![("Account_Name__c".into(), serde_json::json!(company.name))],
        }),
    }
}

fn first_word(s: &Option<String>) -> String {
    s.as_deref()
        .and_then(|n| n.split_whitespace().next())
        .unwrap_or("there")
        .to_string()
}

/// Parties (as `/v2/calls/extensive` lists them) and voices (who is heard in
/// the transcript). Imported dialer calls carry no `speakerId` on parties, and
/// some calls have a voice no party carries, as real Gong data does.
#[allow(clippy::too_many_arguments)]
pub(crate) fn parties_and_voices(
    rng: &mut Rng,
    ws: &Workspace,
    kind: CallKind,
    host: &User,
    company: Option<&ExternalCompany>,
    contact: Option<&Contact>,
    index: usize,
    silent: bool,
) -> (Vec<Party>, Vec<Voice>) {
    use CallKind::*;
    let mut parties = Vec::new();
    let mut voices = Vec::new();
    let voice_of = |parties: &Vec<Party>, i: usize, weight: u32| -> Option<Voice> {
        let p: &Party = parties.get(i)?;
        Some(Voice {
            speaker_id: p.speaker_id.clone()?,
            party: Some(i),
            internal: p.affiliation == "Internal",
            first_name: first_word(&p.name),
            weight,
        })
    };

    if matches!(kind, ColdCall | Voicemail) {
        let mut host_party = internal_party(rng, host, false);
        host_party.methods = vec!["Attendee"];
        host_party.context = None;
        parties.push(host_party);
        if let (Some(company), Some(contact)) = (company, contact)
            && !rng.chance(0.25)
        {
            let mut p = external_party(rng, contact, company, false, true);
            p.methods = vec!["Attendee"];
            if p.phone_number.is_none() {
                p.phone_number = Some(format!("+1 646-555-{:04}", rng.below(10_000)));
            }
            parties.push(p);
        }
        if !silent {
            // Dialer audio is diarized, but nothing links the voices to parties.
            voices.push(Voice {
                speaker_id: rng.digits(19),
                party: None,
                internal: true,
                first_name: host.first_name.clone(),
                weight: 55,
            });
            if kind == ColdCall {
                voices.push(Voice {
                    speaker_id: rng.digits(19),
                    party: None,
                    internal: false,
                    first_name: contact
                        .map(|c| c.first_name.clone())
                        .unwrap_or_else(|| "there".into()),
                    weight: 45,
                });
            }
        }
        return (parties, voices);
    }

    parties.push(internal_party(rng, host, true));
    if kind.is_internal() {
        let others = ws
            .users
            .iter()
            .filter(|u| u.active && u.id != host.id)
            .collect::<Vec<_>>();
        let n = rng.range(1, 4) as usize;
        let mut picked = others.clone();
        rng.shuffle(&mut picked);
        for u in picked.into_iter().take(n) {
            parties.push(internal_party(rng, u, true));
        }
    } else {
        let extra_internal = match kind {
            Demo | TechnicalDeepDive | SecurityReview if rng.chance(0.8) => {
                Some(Role::SalesEngineer)
            }
            Pricing | BusinessReview if rng.chance(0.4) => Some(Role::Manager),
            Discovery if rng.chance(0.3) => Some(Role::SalesDevelopment),
            _ => None,
        };
        if let Some(role) = extra_internal {
            let u = super::data::pick_user(rng, ws, role);
            if u.id != host.id {
                let speaks = rng.chance(0.9);
                parties.push(internal_party(rng, u, speaks));
            }
        }
        if let Some(company) = company {
            let mut contacts: Vec<&Contact> = company.contacts.iter().collect();
            rng.shuffle(&mut contacts);
            let attending = rng.range(1, contacts.len().min(3) as u64 + 1) as usize;
            for (i, c) in contacts.iter().enumerate() {
                if i < attending {
                    let speaks = rng.chance(0.92) || i == 0;
                    parties.push(external_party(rng, c, company, speaks, true));
                } else if rng.chance(0.3) {
                    parties.push(external_party(rng, c, company, false, false));
                }
            }
        }
        if rng.chance(0.06) {
            // Someone who joined from an unknown address.
            let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
            parties.push(Party {
                id: rng.digits(19),
                name: Some(name),
                email_address: None,
                title: None,
                user_id: None,
                speaker_id: Some(rng.digits(19)),
                affiliation: "Unknown",
                methods: vec!["Attendee"],
                phone_number: None,
                context: None,
            });
        }
    }
    let n_ext = parties
        .iter()
        .filter(|p| p.affiliation != "Internal")
        .count()
        .max(1) as u32;
    for i in 0..parties.len() {
        let weight = match (i, parties[i].affiliation) {
            (0, _) => {
                if kind.is_internal() {
                    40
                } else {
                    45
                }
            }
            (_, "Internal") => {
                if kind.is_internal() {
                    30
                } else {
                    15
                }
            }
            _ => 40 / n_ext + 5,
        };
        if let Some(v) = voice_of(&parties, i, weight) {
            voices.push(v);
        }
    }
    if index % 41 == 7 {
        // A dial-in guest the transcript hears but no party carries.
        voices.push(Voice {
            speaker_id: rng.digits(19),
            party: None,
            internal: false,
            first_name: rng.pick(FIRST_NAMES).to_string(),
            weight: 12,
        });
    }
    (parties, voices)
}
