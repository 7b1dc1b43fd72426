-- Note templates (issue 12): the platform's SOAP, DAP and BIRP in Greek and English (therapist_id
-- NULL), and each therapist's own. `template_content` has the structure of the note type, each
-- section's text a prompt. Templates hold no client data: plain JSONB.
ALTER TABLE note_templates
    ADD COLUMN language VARCHAR(2) NOT NULL DEFAULT 'el' CHECK (language IN ('el', 'en')),
    ALTER COLUMN note_type SET NOT NULL;

CREATE POLICY tf_platform_read ON note_templates FOR SELECT TO tf_app USING (therapist_id IS NULL);

INSERT INTO note_templates (therapist_id, name, note_type, language, is_default, template_content) VALUES
    (NULL, 'SOAP', 'soap', 'en', TRUE, '{"subjective": "What the client reports: concerns, mood, events since the last session, in their words.", "objective": "What you observed: appearance, affect, behaviour, measures and scores.", "assessment": "Your clinical reading: progress towards goals, risk, formulation.", "plan": "Next steps: interventions, homework, next session, referrals."}'),
    (NULL, 'SOAP', 'soap', 'el', TRUE, '{"subjective": "Τι αναφέρει ο/η θεραπευόμενος/η: ανησυχίες, διάθεση, γεγονότα από την προηγούμενη συνεδρία, με τα δικά του/της λόγια.", "objective": "Τι παρατηρήσατε: εμφάνιση, συναίσθημα, συμπεριφορά, μετρήσεις και βαθμολογίες.", "assessment": "Η κλινική σας εκτίμηση: πρόοδος προς τους στόχους, κίνδυνος, διατύπωση περίπτωσης.", "plan": "Επόμενα βήματα: παρεμβάσεις, εργασία για το σπίτι, επόμενη συνεδρία, παραπομπές."}'),
    (NULL, 'DAP', 'dap', 'en', TRUE, '{"data": "What was said and observed in the session: subjective and objective information together.", "assessment": "Your interpretation: progress, themes, risk, response to interventions.", "plan": "What comes next: homework, next session focus, referrals."}'),
    (NULL, 'DAP', 'dap', 'el', TRUE, '{"data": "Τι ειπώθηκε και τι παρατηρήθηκε στη συνεδρία: υποκειμενικά και αντικειμενικά στοιχεία μαζί.", "assessment": "Η ερμηνεία σας: πρόοδος, θέματα, κίνδυνος, ανταπόκριση στις παρεμβάσεις.", "plan": "Τι ακολουθεί: εργασία για το σπίτι, εστίαση της επόμενης συνεδρίας, παραπομπές."}'),
    (NULL, 'BIRP', 'birp', 'en', TRUE, '{"behavior": "The client''s presentation and behaviour, and what they report.", "intervention": "What you did: techniques, approach, exercises.", "response": "How the client responded to the interventions.", "plan": "Next steps and homework."}'),
    (NULL, 'BIRP', 'birp', 'el', TRUE, '{"behavior": "Η εικόνα και η συμπεριφορά του/της θεραπευόμενου/ης και όσα αναφέρει.", "intervention": "Τι κάνατε: τεχνικές, προσέγγιση, ασκήσεις.", "response": "Πώς ανταποκρίθηκε ο/η θεραπευόμενος/η στις παρεμβάσεις.", "plan": "Επόμενα βήματα και εργασία για το σπίτι."}');
