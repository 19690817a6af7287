//! The contract annex as a document model ([`AnnexDoc`]), built from the
//! same view values as the site's pages. Every format (canonical text, HTML,
//! Word, PDF) is written from this model (see `render::annex`).

use super::*;
use crate::render::annex::{AnnexDoc, Block, Cell, ParaStyle, Table, Text, clauses, text};

fn cell(s: impl Into<String>) -> Cell {
    vec![Text::plain(s)]
}

fn lines(v: impl IntoIterator<Item = String>) -> Cell {
    v.into_iter().map(Text::plain).collect()
}

fn para(style: ParaStyle, s: impl Into<String>) -> Block {
    Block::Para {
        style,
        text: Text::plain(s),
    }
}

impl<'a> Ctx<'a> {
    fn at(&self, key: &str) -> &'static str {
        text::t(self.lang, key)
    }

    fn heading(&self, level: u8, key: &str) -> Block {
        Block::Heading {
            level,
            text: self.t(key).to_string(),
        }
    }

    /// A table whose caption and columns (the header's word, the relative
    /// width) are given by the keys of their words.
    fn table(&self, caption: &str, columns: &[(&str, u32)], rows: Vec<Vec<Cell>>) -> Block {
        Block::Table(Table {
            caption: self.t(caption).into(),
            header: columns.iter().map(|(key, _)| self.t(key).into()).collect(),
            widths: columns.iter().map(|(_, width)| *width).collect(),
            rows,
        })
    }

    /// [`Self::table`], or the sentence of the key `empty` when there are no rows.
    fn table_or_empty(
        &self,
        empty: &str,
        caption: &str,
        columns: &[(&str, u32)],
        rows: Vec<Vec<Cell>>,
    ) -> Block {
        if rows.is_empty() {
            Block::Empty(self.t(empty).into())
        } else {
            self.table(caption, columns, rows)
        }
    }

    /// The annex of the whole provider (`None`) or of one service.
    pub(super) fn annex_doc(&self, service: Option<&str>) -> AnnexDoc {
        let c = self.c;
        let p = &c.project;
        let a = &c.analysis;
        let cfg = &p.config;
        let scope = match service {
            None => self.t("annex_whole").to_string(),
            Some(id) => format!(
                "{}{}{}",
                self.t("annex_for"),
                self.t("colon"),
                self.service(id).text
            ),
        };
        let host_name = self.entity_name(&cfg.host);
        let party = cfg
            .party
            .legal_name
            .clone()
            .unwrap_or_else(|| host_name.clone());
        let mut blocks = vec![
            Block::Heading {
                level: 1,
                text: self.t("annex_title").to_string(),
            },
            para(ParaStyle::Normal, format!("{} — {scope}", cfg.name)),
        ];
        let valid = cfg.publication_date.unwrap_or(a.as_of);
        blocks.push(Block::Facts(vec![
            (self.at("provider").into(), Text::plain(&cfg.name)),
            (self.at("scope").into(), Text::plain(&scope)),
            (
                self.t("version").into(),
                Text::plain(cfg.version.clone().unwrap_or_else(|| "—".into())),
            ),
            (self.at("valid_from").into(), Text::plain(self.date(valid))),
            (
                self.at("as_of").into(),
                // How far the legal facts were checked, never "as of
                // today" (issue 17, rule 9).
                Text::plain(
                    format!(
                        "{} ; {} {} ({} {})",
                        self.date(a.as_of),
                        self.t("sources_up_to"),
                        self.date(c.reference.meta.sources_up_to),
                        self.t("reference_compiled"),
                        self.date(c.reference.meta.compiled_on)
                    )
                    .replace(" ; ", if self.lang.is_fr() { " ; " } else { "; " }),
                ),
            ),
        ]));

        // Parties.
        blocks.push(Block::Heading {
            level: 2,
            text: self.at("parties").into(),
        });
        self.parties(&mut blocks, &party);

        // EXI 31 form, statement and policy.
        let form = match service {
            None => a.provider_form,
            Some(id) => a
                .services
                .get(id)
                .map(|s| s.form)
                .unwrap_or(Exi31Form::Table),
        };
        blocks.push(para(
            ParaStyle::Normal,
            format!(
                "{}{}{}",
                self.t("form"),
                self.t("colon"),
                labels::form(form, self.lang)
            ),
        ));
        if let Some(st) = self.statement(form) {
            blocks.push(para(
                ParaStyle::Normal,
                format!("{} « {} »", self.t("statement_prefix"), st.text),
            ));
            if let Some(fr) = st.original_fr {
                blocks.push(Block::Para {
                    style: ParaStyle::Note,
                    text: Text::fr_original(format!(
                        "{} « {fr} »",
                        self.t("statement_translation_note")
                    )),
                });
            }
        }
        let policy = if a.policy.partial_adequacy_is_exposure {
            self.t("policy_partial_exposure")
        } else {
            self.t("policy_partial_ok")
        };
        blocks.push(para(
            ParaStyle::Note,
            format!("{}{}{policy}", self.t("policy"), self.t("colon")),
        ));
        if let Some(r) = &a.policy.rationale {
            blocks.push(Block::Para {
                style: ParaStyle::Note,
                text: self.own(r, p.english_of(crate::model::english_key::POLICY_RATIONALE)),
            });
        }

        // 1. EXI 28: storage.
        blocks.push(self.heading(2, "annex_exi28"));
        // Only the sites where health data is stored, as the analysis found
        // them (declared `sites`, storage flows of health data); the servers
        // of recipients of other data are not storage locations (issue 17,
        // rule 8).
        let sites: Vec<&Site> = match service {
            None => p
                .sites
                .values()
                .filter(|s| a.sites.get(&s.id).is_some_and(|u| u.health_storage))
                .collect(),
            Some(id) => self
                .ix
                .storage_of_service
                .get(id)
                .map(|v| v.iter().filter_map(|s| p.sites.get(*s)).collect())
                .unwrap_or_default(),
        };
        let mut columns = vec![
            ("col_site", 3),
            ("col_city", 2),
            ("col_country", 2),
            ("col_operator", 3),
            ("col_role", 2),
        ];
        if service.is_none() {
            columns.push(("col_services", 3));
        }
        let rows = sites
            .iter()
            .map(|s| {
                let v = self.site_v(s);
                let mut row = vec![
                    cell(format!("{} ({})", v.name, v.id)),
                    cell(v.city),
                    cell(v.country),
                    cell(v.operator.text),
                    cell(v.role),
                ];
                if service.is_none() {
                    row.push(lines(v.services.into_iter().map(|l| l.text)));
                }
                row
            })
            .collect();
        blocks.push(self.table_or_empty("no_storage", "storage", &columns, rows));

        // 2. EXI 29: transfers.
        blocks.push(self.heading(2, "annex_exi29"));
        let (transfers, exposures): (Vec<&str>, Vec<&str>) = match service {
            None => (
                a.transfers.iter().map(|t| t.id.as_str()).collect(),
                a.exposures.iter().map(|e| e.id.as_str()).collect(),
            ),
            Some(id) => match a.services.get(id) {
                Some(sa) => (
                    sa.transfers.iter().map(String::as_str).collect(),
                    sa.exposures.iter().map(String::as_str).collect(),
                ),
                None => (Vec::new(), Vec::new()),
            },
        };
        let rows = transfers
            .iter()
            .filter_map(|id| self.transfer(id))
            .map(|t| self.transfer_cells(t))
            .collect();
        let columns = [
            ("col_transfer", 3),
            ("col_country", 2),
            ("col_recipient", 3),
            ("col_purpose", 3),
            ("col_basis", 4),
            ("col_safeguards", 4),
        ];
        blocks.push(self.table_or_empty("no_transfers", "transfers", &columns, rows));

        // 3. EXI 30: exposures.
        blocks.push(self.heading(2, "annex_exi30"));
        blocks.push(para(ParaStyle::Normal, self.t("risk_intro")));
        let rows = exposures
            .iter()
            .filter_map(|id| self.exposure(id))
            .map(|e| self.risk_cells(e))
            .collect();
        let columns = [
            ("col_exposure", 4),
            ("col_laws", 5),
            ("col_measures", 3),
            ("col_residual", 4),
        ];
        blocks.push(self.table_or_empty("no_exposure", "risk_table", &columns, rows));

        // 4. Subcontractors and certificates.
        // The scope and status of the partial adequacy decisions the cells
        // above send the reader to ("see the notes"): in the annex itself,
        // since a contract annex stands alone (issue 17, rule 9).
        let notes = self.adequacy_notes();
        if !notes.is_empty() {
            blocks.push(self.heading(3, "notes_title"));
            for n in notes {
                blocks.push(para(
                    ParaStyle::Note,
                    format!("{}{}{}", n.title, self.t("colon"), n.text),
                ));
            }
        }

        blocks.push(self.heading(2, "annex_subcontractors"));
        let rows: &[ActorRow] = match service {
            None => &a.provider_actors,
            Some(id) => a
                .services
                .get(id)
                .map(|s| s.actors.as_slice())
                .unwrap_or(&[]),
        };
        let actor_rows = rows
            .iter()
            .map(|r| {
                let v = self.actor_row(r);
                vec![
                    cell(v.name.text),
                    cell(v.role),
                    cell(v.hds),
                    cell(v.secnumcloud),
                    if v.activities.is_empty() {
                        cell(self.t("none"))
                    } else {
                        lines(v.activities)
                    },
                    if v.exi29.is_empty() {
                        cell(self.t("no"))
                    } else {
                        lines(v.exi29)
                    },
                    if v.exi30.is_empty() {
                        cell(self.t("no"))
                    } else {
                        lines(v.exi30.into_iter().map(|l| l.text))
                    },
                ]
            })
            .collect();
        let columns = [
            ("col_actor", 3),
            ("col_role", 2),
            ("col_hds", 2),
            ("col_snc", 2),
            ("col_activities", 4),
            ("col_exi29", 5),
            ("col_exi30", 3),
        ];
        blocks.push(self.table("actors_table", &columns, actor_rows));
        for e in rows.iter().filter_map(|r| p.entities.get(&r.entity)) {
            let s = self.actor_summary(e);
            blocks.push(Block::Heading {
                level: 3,
                text: format!("{} — {} — {}", s.link.text, s.country, s.role),
            });
            match s.hds {
                Some(h) => {
                    let mut f = vec![
                        (
                            self.t("activities").to_string(),
                            Text::plain(h.activities.join(", ")),
                        ),
                        (self.t("certifier").into(), Text::plain(h.certifier)),
                        (self.t("issued").into(), Text::plain(h.issued)),
                        (self.t("expires").into(), Text::plain(h.expires)),
                    ];
                    if let Some(n) = h.number {
                        f.push((self.t("number").into(), Text::plain(n)));
                    }
                    if let Some(r) = h.referential {
                        f.push((self.t("referential").into(), Text::plain(r)));
                    }
                    blocks.push(Block::Facts(f));
                }
                // The publisher of a platform's map does not host: not a defect.
                None => blocks.push(para(
                    ParaStyle::Normal,
                    s.hds_note.unwrap_or(self.t("no_hds")),
                )),
            }
            if let Some(x) = s.exempted_under {
                blocks.push(para(
                    ParaStyle::Normal,
                    format!("{} {}.", self.t("exempted_under"), x.text),
                ));
            }
            if let Some(snc) = s.secnumcloud {
                blocks.push(para(
                    ParaStyle::Normal,
                    match snc.offer {
                        Some(o) => format!("{} {} — {o}", self.t("secnumcloud"), snc.version),
                        None => format!("{} {}", self.t("secnumcloud"), snc.version),
                    },
                ));
            }
        }

        // 5. The provider's commitments (clauses).
        blocks.push(Block::Heading {
            level: 2,
            text: self.at("clauses").into(),
        });
        let values = [
            ("notice_days", cfg.notice_days.to_string()),
            ("provider", party.clone()),
            ("provider_name", cfg.name.clone()),
        ];
        for (i, cl) in clauses::resolve(p, self.lang).into_iter().enumerate() {
            blocks.push(Block::Heading {
                level: 3,
                text: format!("5.{} {}", i + 1, cl.title),
            });
            blocks.extend(clauses::markdown_blocks(
                &clauses::fill(&cl.body, &values),
                cl.fr_original && !self.lang.is_fr(),
            ));
            if cl.default {
                blocks.push(para(ParaStyle::Note, self.at("default_clause")));
            }
        }
        if self.has_untranslated(&blocks) {
            blocks.push(para(ParaStyle::Note, self.at("french_original_note")));
        }
        AnnexDoc {
            lang: self.lang,
            service: service.map(str::to_string),
            provider: cfg.name.clone(),
            party,
            title: self.t("annex_title").into(),
            scope,
            version: cfg.version.clone(),
            date: cfg.publication_date.map(|d| d.to_string()),
            as_of: a.as_of.to_string(),
            blocks,
        }
    }

    fn has_untranslated(&self, blocks: &[Block]) -> bool {
        blocks.iter().any(|b| match b {
            Block::Para { text, .. } => text.fr_original,
            Block::Facts(f) => f.iter().any(|(_, v)| v.fr_original),
            Block::Table(t) => t.rows.iter().flatten().flatten().any(|x| x.fr_original),
            _ => false,
        })
    }

    /// A text the provider wrote: its English version on an English page
    /// when given, else the French original, marked as such.
    pub(super) fn own(&self, fr: &str, en: Option<&str>) -> Text {
        match (self.lang, en) {
            (Lang::Fr, _) => Text::plain(fr),
            (Lang::En, Some(en)) => Text::plain(en),
            (Lang::En, None) => Text::fr_original(fr),
        }
    }

    /// [`Self::own`] with the English version under `key` of
    /// [`crate::model::Project::english`].
    pub(super) fn own_at(&self, fr: &str, key: &str) -> Text {
        self.own(fr, self.c.project.english_of(key))
    }

    fn parties(&self, blocks: &mut Vec<Block>, party: &str) {
        let pc = &self.c.project.config.party;
        let nd = || Text::plain(self.at("not_declared"));
        let opt = |v: &Option<String>| v.as_ref().map(Text::plain).unwrap_or_else(nd);
        blocks.push(Block::Heading {
            level: 3,
            text: self.at("party_provider").into(),
        });
        blocks.push(Block::Facts(vec![
            (self.at("legal_name").into(), Text::plain(party)),
            (self.at("legal_form").into(), opt(&pc.legal_form)),
            (self.at("registration").into(), opt(&pc.registration)),
            (self.at("address").into(), opt(&pc.address)),
            (self.at("representative").into(), opt(&pc.representative)),
        ]));
        blocks.push(Block::Heading {
            level: 3,
            text: self.at("party_client").into(),
        });
        blocks.push(para(ParaStyle::Placeholder, self.at("client_placeholder")));
    }

    fn transfer_cells(&self, t: &Transfer) -> Vec<Cell> {
        let v = self.transfer_v(t);
        let mut first = vec![Text::plain(v.kind), Text::plain(format!("({})", v.id))];
        if !v.data.is_empty() {
            first.push(Text::plain(v.data));
        }
        let mut purpose = vec![self.purpose_text(t)];
        if !v.services.is_empty() {
            purpose.push(Text::plain(format!(
                "{}{}{}",
                self.t("col_services"),
                self.t("colon"),
                v.services
                    .iter()
                    .map(|s| s.text.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let mut basis = vec![Text::plain(v.basis)];
        if let Some(r) = v.basis_reference {
            basis.push(Text::plain(format!(
                "{}{}{r}",
                self.t("basis_reference"),
                self.t("colon")
            )));
        }
        if let Some(tia) = v.tia {
            basis.push(Text::plain(format!(
                "{}{}{tia}",
                self.t("tia"),
                self.t("colon")
            )));
        }
        let mut safeguards: Cell = self.safeguard_texts(t);
        safeguards.extend(t.measures.iter().map(|m| self.measure_title(m)));
        if safeguards.is_empty() {
            safeguards.push(Text::plain(self.t("none")));
        }
        vec![
            first,
            cell(v.country),
            cell(v.recipient.text),
            purpose,
            basis,
            safeguards,
        ]
    }

    fn risk_cells(&self, e: &Exposure) -> Vec<Cell> {
        let v = self.risk_row(e);
        let first = vec![
            Text::plain(format!("{} — {}", v.entity.text, v.country)),
            Text::plain(v.how),
            Text::plain(v.adequacy),
        ];
        let laws = if v.laws.is_empty() {
            cell(self.t("no_laws"))
        } else {
            lines(v.laws.into_iter().map(|l| {
                let mut s = if l.summary.is_empty() {
                    l.name
                } else {
                    format!("{} — {}", l.name, l.summary)
                };
                // Status note and confidence beside the law (rule 9).
                if let Some(n) = l.note {
                    s.push_str(&format!(
                        " [{}{}{n}]",
                        self.t("law_status"),
                        self.t("colon")
                    ));
                }
                s
            }))
        };
        let measures: Cell = if e.measures.is_empty() {
            cell(self.t("no_measures"))
        } else {
            e.measures.iter().map(|m| self.measure_title(m)).collect()
        };
        let residual = self.residual_texts(e);
        vec![
            first,
            laws,
            measures,
            if residual.is_empty() {
                cell(self.t("no_residual"))
            } else {
                residual
            },
        ]
    }
}

impl<'a> Ctx<'a> {
    /// A transfer's purpose and safeguards are its flow's or access path's
    /// texts: in English, their English versions when declared, else the
    /// French originals, marked.
    fn purpose_text(&self, t: &Transfer) -> Text {
        match &t.purpose {
            Some(p) => self.own_at(p, &self.purpose_key(t)),
            None => Text::plain(self.t("not_stated")),
        }
    }

    fn safeguard_texts(&self, t: &Transfer) -> Cell {
        t.safeguards
            .iter()
            .enumerate()
            .map(|(n, s)| self.own_at(s, &english_key::access_safeguard(&t.source, n)))
            .collect()
    }

    fn english(&self, key: String) -> Option<&str> {
        self.c.project.english.get(&key).map(String::as_str)
    }

    fn measure_title(&self, id: &str) -> Text {
        match self.ix.measures.get(id) {
            Some(m) => self.own(
                &m.title,
                self.english(crate::model::english_key::measure_title(id)),
            ),
            None => Text::plain(id),
        }
    }

    fn residual_texts(&self, e: &Exposure) -> Cell {
        e.measures
            .iter()
            .filter_map(|id| self.ix.measures.get(id.as_str()))
            .filter_map(|m| {
                let fr = m.residual_risk.as_ref()?;
                let mut t = self.own(
                    fr,
                    self.english(crate::model::english_key::measure_residual(&m.id)),
                );
                if let Some(l) = m.residual_level {
                    t.s = format!("{} ({})", t.s, labels::risk_level(l, self.lang));
                }
                Some(t)
            })
            .collect()
    }
}
