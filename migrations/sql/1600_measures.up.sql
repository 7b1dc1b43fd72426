-- Measures (issue 12): PHQ-9, GAD-7 and WHO-5 as versioned questionnaire templates (0012, the
-- sketch's §14 document shape), assigned by a therapist to a client once or on a schedule, answered
-- by the client (offline too: the `measure_responses` sync collection over questionnaire_responses),
-- scored here at insert and never again, and a risk alert for the assigning therapist.
--
-- A template version never changes: a changed questionnaire is a new row (same short_name, a new
-- version), so an answer keeps the score and interpretation of the version it answered.

ALTER TABLE questionnaire_templates ADD CONSTRAINT uq_questionnaire_templates_short_name_version UNIQUE (short_name, version);
CREATE TRIGGER trg_questionnaire_templates_fixed BEFORE UPDATE OF name, short_name, version, questions, scoring ON questionnaire_templates
    FOR EACH ROW EXECUTE FUNCTION forbid_column_change('name', 'short_name', 'version', 'questions', 'scoring');

-- The newest active version of a measure is the one a new assignment shows.
CREATE FUNCTION current_measure_template(p_measure text) RETURNS uuid
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$
    SELECT id FROM questionnaire_templates WHERE short_name = p_measure AND is_active AND type = 'clinical_assessment'
     ORDER BY created_at DESC, version DESC LIMIT 1
$$;

CREATE TYPE measure_schedule AS ENUM ('once', 'before_session', 'every_n_weeks');

CREATE TABLE measure_assignments (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    therapist_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    measure VARCHAR(50) NOT NULL, -- questionnaire_templates.short_name
    schedule measure_schedule NOT NULL,
    interval_weeks INT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    ended_at TIMESTAMPTZ,
    CONSTRAINT chk_measure_assignment_interval CHECK ((schedule = 'every_n_weeks') = (interval_weeks IS NOT NULL) AND (interval_weeks IS NULL OR interval_weeks BETWEEN 1 AND 52)),
    CONSTRAINT chk_measure_assignment_not_self CHECK (therapist_id <> client_id)
);
CREATE INDEX idx_measure_assignments_client ON measure_assignments (client_id, created_at DESC);
CREATE INDEX idx_measure_assignments_therapist ON measure_assignments (therapist_id, client_id);
CREATE TRIGGER trg_measure_assignments_updated_at BEFORE UPDATE ON measure_assignments
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE TRIGGER trg_measure_assignments_fixed BEFORE UPDATE OF id, therapist_id, client_id, measure, schedule, interval_weeks, created_at ON measure_assignments
    FOR EACH ROW EXECUTE FUNCTION forbid_column_change('id', 'therapist_id', 'client_id', 'measure', 'schedule', 'interval_weeks', 'created_at');
CREATE TRIGGER audit_measure_assignments AFTER INSERT OR UPDATE OR DELETE ON measure_assignments
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();

-- Who may give a client a measure and read their answers: their therapist (is_current_therapist,
-- 0300/0610) while the client has not withdrawn the consent to share with their therapist (1250).
CREATE FUNCTION may_measure(p_therapist_id uuid, p_client_id uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
    SELECT is_current_therapist(p_therapist_id, p_client_id) AND NOT consent_withdrawn(p_client_id, 'therapist_sharing')
       AND EXISTS (SELECT 1 FROM users WHERE id = p_client_id AND role = 'client' AND status = 'active' AND deleted_at IS NULL)
$$;
GRANT EXECUTE ON FUNCTION may_measure(uuid, uuid) TO tf_app, tf_system;

-- Answers: one whole number per question, in order. The client's optional comment is sealed by the
-- app (client_comment, encryption_key_id); scores and interpretation are set here, at insert.
ALTER TABLE questionnaire_responses
    ADD COLUMN assignment_id UUID REFERENCES measure_assignments(id) ON DELETE CASCADE,
    ADD COLUMN severity VARCHAR(30),
    ADD COLUMN risk_reasons TEXT[] NOT NULL DEFAULT '{}',
    ADD COLUMN client_comment BYTEA,
    ADD COLUMN sync_write JSONB;
CREATE INDEX idx_questionnaire_responses_assignment ON questionnaire_responses (assignment_id, completed_at DESC);
CREATE TRIGGER trg_questionnaire_responses_clear_sync_write BEFORE UPDATE ON questionnaire_responses
    FOR EACH ROW EXECUTE FUNCTION clear_sync_write();

-- What is wrong with answers to a template version, or NULL: 'unknown_template',
-- 'item_count:<expected>' or 'item_range:<item>:<min>:<max>' (item numbered from 1).
CREATE FUNCTION measure_answers_problem(p_template_id uuid, p_answers jsonb) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
DECLARE
    v_questions jsonb;
    v_question jsonb;
    v_value numeric;
BEGIN
    SELECT questions INTO v_questions FROM questionnaire_templates WHERE id = p_template_id;
    IF v_questions IS NULL THEN
        RETURN 'unknown_template';
    END IF;
    IF p_answers IS NULL OR jsonb_typeof(p_answers) <> 'array' OR jsonb_array_length(p_answers) <> jsonb_array_length(v_questions) THEN
        RETURN 'item_count:' || jsonb_array_length(v_questions);
    END IF;
    FOR i IN 0 .. jsonb_array_length(v_questions) - 1 LOOP
        v_question := v_questions -> i;
        v_value := CASE WHEN jsonb_typeof(p_answers -> i) = 'number' THEN (p_answers ->> i)::numeric END;
        IF v_value IS NULL OR v_value <> trunc(v_value)
           OR v_value < (v_question #>> '{scale,min}')::numeric OR v_value > (v_question #>> '{scale,max}')::numeric THEN
            RETURN format('item_range:%s:%s:%s', i + 1, v_question #>> '{scale,min}', v_question #>> '{scale,max}');
        END IF;
    END LOOP;
    RETURN NULL;
END;
$$;

-- Why a client may not store these answers, or NULL: the assignment must be the writer's and
-- still open, the template a version of its measure, the answers fit for that version.
CREATE FUNCTION measure_response_refusal(p_writer uuid, p_assignment_id uuid, p_template_id uuid, p_answers jsonb) RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp
AS $$
    SELECT CASE
        WHEN a.id IS NULL THEN 'unknown_assignment'
        WHEN NOT EXISTS (SELECT 1 FROM questionnaire_templates t WHERE t.id = p_template_id AND t.short_name = a.measure) THEN 'unknown_template'
        ELSE measure_answers_problem(p_template_id, p_answers)
    END
      FROM (SELECT 1) one
      LEFT JOIN measure_assignments a ON a.id = p_assignment_id AND a.client_id = p_writer AND a.ended_at IS NULL
$$;
GRANT EXECUTE ON FUNCTION measure_response_refusal(uuid, uuid, uuid, jsonb) TO tf_app, tf_system;

-- Scoring: the sum of the answers (times each question's scoring_weight), the template's range it
-- falls in (interpretation, severity), and the risk reasons: a `risk_items` answer above its
-- threshold (PHQ-9 item 9 above 0) or a range marked `alert` (the severe ones).
CREATE FUNCTION score_questionnaire_response() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
DECLARE
    v_template questionnaire_templates;
    v_problem text;
    v_score numeric := 0;
    v_range jsonb;
    v_risk jsonb;
    v_reasons text[] := '{}';
BEGIN
    SELECT * INTO v_template FROM questionnaire_templates WHERE id = NEW.questionnaire_id;
    v_problem := measure_answers_problem(NEW.questionnaire_id, NEW.responses);
    IF v_problem IS NOT NULL THEN
        RAISE EXCEPTION 'answers do not fit questionnaire %: %', NEW.questionnaire_id, v_problem
            USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_questionnaire_response_answers';
    END IF;
    FOR i IN 0 .. jsonb_array_length(NEW.responses) - 1 LOOP
        v_score := v_score + (NEW.responses ->> i)::numeric * coalesce((v_template.questions -> i ->> 'scoring_weight')::numeric, 1);
    END LOOP;
    SELECT r INTO v_range FROM jsonb_array_elements(v_template.scoring -> 'ranges') r
     WHERE v_score BETWEEN (r ->> 'min')::numeric AND (r ->> 'max')::numeric LIMIT 1;
    FOR v_risk IN SELECT * FROM jsonb_array_elements(coalesce(v_template.scoring -> 'risk_items', '[]')) LOOP
        FOR i IN 0 .. jsonb_array_length(v_template.questions) - 1 LOOP
            IF v_template.questions -> i ->> 'id' = v_risk ->> 'question_id' AND (NEW.responses ->> i)::numeric > (v_risk ->> 'above')::numeric THEN
                v_reasons := v_reasons || ('item:' || (v_risk ->> 'question_id'));
            END IF;
        END LOOP;
    END LOOP;
    IF coalesce((v_range ->> 'alert')::boolean, false) THEN
        v_reasons := v_reasons || ('severity:' || (v_range ->> 'severity'));
    END IF;
    NEW.questionnaire_name := v_template.short_name;
    NEW.calculated_score := v_score;
    NEW.interpretation := v_range ->> 'interpretation';
    NEW.severity := v_range ->> 'severity';
    NEW.risk_reasons := v_reasons;
    NEW.completed_at := coalesce(NEW.completed_at, now());
    RETURN NEW;
END;
$$;
CREATE TRIGGER trg_questionnaire_responses_score BEFORE INSERT ON questionnaire_responses
    FOR EACH ROW EXECUTE FUNCTION score_questionnaire_response();
-- Never rescored: the answers, the version they answered and what was computed from them stay.
CREATE TRIGGER trg_questionnaire_responses_fixed
    BEFORE UPDATE OF id, client_id, questionnaire_id, assignment_id, responses, calculated_score, interpretation, severity, risk_reasons, completed_at
    ON questionnaire_responses
    FOR EACH ROW EXECUTE FUNCTION forbid_column_change('id', 'client_id', 'questionnaire_id', 'assignment_id', 'responses', 'calculated_score',
                                                       'interpretation', 'severity', 'risk_reasons', 'completed_at');
-- The client may touch their own rows (a push locks them, see the policies below) but never the
-- therapist's notes on them; key rotation, as the platform, re-seals those.
CREATE FUNCTION guard_questionnaire_therapist_notes() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
    IF NEW.therapist_notes IS DISTINCT FROM OLD.therapist_notes AND app_current_user_role() = 'client' THEN
        RAISE EXCEPTION 'a client cannot change the therapist''s notes' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER trg_questionnaire_responses_therapist_notes BEFORE UPDATE OF therapist_notes ON questionnaire_responses
    FOR EACH ROW EXECUTE FUNCTION guard_questionnaire_therapist_notes();

-- Devices hold the client's own answers.
CREATE TRIGGER trg_questionnaire_responses_change_log AFTER INSERT OR UPDATE OR DELETE ON questionnaire_responses
    FOR EACH ROW EXECUTE FUNCTION record_change('measure_responses', 'client_id');

-- Risk alerts: for the therapist who assigned the measure only (never a company, never a platform
-- admin); what the therapist did about it is recorded with it.
CREATE TABLE measure_risk_alerts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    response_id UUID NOT NULL UNIQUE REFERENCES questionnaire_responses(id) ON DELETE CASCADE,
    assignment_id UUID NOT NULL REFERENCES measure_assignments(id) ON DELETE CASCADE,
    therapist_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    client_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    reasons TEXT[] NOT NULL CHECK (cardinality(reasons) > 0),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    acknowledged_at TIMESTAMPTZ,
    acknowledged_by UUID REFERENCES users(id) ON DELETE SET NULL,
    CONSTRAINT chk_measure_risk_alert_acknowledged CHECK ((acknowledged_at IS NULL) = (acknowledged_by IS NULL))
);
CREATE INDEX idx_measure_risk_alerts_therapist ON measure_risk_alerts (therapist_id, created_at DESC);
CREATE TRIGGER audit_measure_risk_alerts AFTER INSERT OR UPDATE OR DELETE ON measure_risk_alerts
    FOR EACH ROW EXECUTE FUNCTION audit_trigger_function();
CREATE TRIGGER trg_measure_risk_alerts_fixed BEFORE UPDATE OF id, response_id, assignment_id, therapist_id, client_id, reasons, created_at ON measure_risk_alerts
    FOR EACH ROW EXECUTE FUNCTION forbid_column_change('id', 'response_id', 'assignment_id', 'therapist_id', 'client_id', 'reasons', 'created_at');

-- Raised in the answer's own transaction, as the owner: the client writing it may not see alerts.
CREATE FUNCTION raise_measure_risk_alert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF cardinality(NEW.risk_reasons) > 0 AND NEW.assignment_id IS NOT NULL THEN
        INSERT INTO measure_risk_alerts (response_id, assignment_id, therapist_id, client_id, reasons)
        SELECT NEW.id, a.id, a.therapist_id, NEW.client_id, NEW.risk_reasons FROM measure_assignments a WHERE a.id = NEW.assignment_id;
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER trg_questionnaire_responses_risk_alert AFTER INSERT ON questionnaire_responses
    FOR EACH ROW EXECUTE FUNCTION raise_measure_risk_alert();

-- Row-level security: the assignment's therapist (while may_measure) and the client; alerts the therapist's alone.
GRANT SELECT, INSERT, UPDATE ON measure_assignments TO tf_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON measure_assignments TO tf_system;
ALTER TABLE measure_assignments ENABLE ROW LEVEL SECURITY;
ALTER TABLE measure_assignments FORCE ROW LEVEL SECURITY;
CREATE POLICY tf_therapist ON measure_assignments TO tf_app
    USING (therapist_id = app_current_user_id() AND may_measure(therapist_id, client_id))
    WITH CHECK (therapist_id = app_current_user_id() AND may_measure(therapist_id, client_id));
CREATE POLICY tf_client_reads ON measure_assignments FOR SELECT TO tf_app USING (client_id = app_current_user_id());

GRANT SELECT, UPDATE ON measure_risk_alerts TO tf_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON measure_risk_alerts TO tf_system;
ALTER TABLE measure_risk_alerts ENABLE ROW LEVEL SECURITY;
ALTER TABLE measure_risk_alerts FORCE ROW LEVEL SECURITY;
CREATE POLICY tf_therapist ON measure_risk_alerts TO tf_app
    USING (therapist_id = app_current_user_id()) WITH CHECK (therapist_id = app_current_user_id());

-- 0901 let any current therapist read every answer: now the client writes and reads their own,
-- and the therapist reads the answers to the measures they assigned.
DROP POLICY tf_current_therapist ON questionnaire_responses;
-- (A sync push locks the rows it writes, which needs the UPDATE policy too; the trigger above keeps
-- every answered value as it was.)
CREATE POLICY tf_own_answers ON questionnaire_responses TO tf_app
    USING (client_id = app_current_user_id())
    WITH CHECK (client_id = app_current_user_id() AND EXISTS (SELECT 1 FROM measure_assignments a WHERE a.id = assignment_id AND a.client_id = questionnaire_responses.client_id));
CREATE POLICY tf_assigning_therapist ON questionnaire_responses FOR SELECT TO tf_app
    USING (EXISTS (SELECT 1 FROM measure_assignments a WHERE a.id = assignment_id AND a.therapist_id = app_current_user_id()));

-- The templates: PHQ-9, GAD-7 and WHO-5 in Greek and English, version 1.0.
INSERT INTO questionnaire_templates (name, short_name, type, version, languages, questions, scoring, metadata, is_validated)
VALUES (
    'PHQ-9 Depression Scale', 'PHQ-9', 'clinical_assessment', '1.0', '{el,en}',
    (SELECT jsonb_agg(jsonb_build_object(
        'id', 'phq9_' || n, 'text', jsonb_build_object('en', en, 'el', el), 'type', 'likert',
        'scale', jsonb_build_object('min', 0, 'max', 3, 'labels', jsonb_build_object(
            'en', jsonb_build_array('Not at all', 'Several days', 'More than half the days', 'Nearly every day'),
            'el', jsonb_build_array('Καθόλου', 'Αρκετές μέρες', 'Περισσότερες από τις μισές μέρες', 'Σχεδόν κάθε μέρα'))),
        'required', true, 'scoring_weight', 1) ORDER BY n)
       FROM (VALUES
        (1, 'Little interest or pleasure in doing things', 'Λίγο ενδιαφέρον ή ευχαρίστηση για να κάνετε πράγματα'),
        (2, 'Feeling down, depressed, or hopeless', 'Νιώθετε πεσμένος/η, θλιμμένος/η ή απελπισμένος/η'),
        (3, 'Trouble falling or staying asleep, or sleeping too much', 'Δυσκολία να σας πάρει ο ύπνος ή να κοιμηθείτε χωρίς διακοπές, ή κοιμάστε υπερβολικά'),
        (4, 'Feeling tired or having little energy', 'Νιώθετε κούραση ή έχετε λίγη ενέργεια'),
        (5, 'Poor appetite or overeating', 'Μειωμένη όρεξη ή υπερβολικό φαγητό'),
        (6, 'Feeling bad about yourself, or that you are a failure or have let yourself or your family down',
            'Νιώθετε άσχημα με τον εαυτό σας, ότι αποτύχατε ή ότι απογοητεύσατε τον εαυτό σας ή την οικογένειά σας'),
        (7, 'Trouble concentrating on things, such as reading the newspaper or watching television',
            'Δυσκολία συγκέντρωσης, για παράδειγμα στο διάβασμα της εφημερίδας ή στην τηλεόραση'),
        (8, 'Moving or speaking so slowly that other people could have noticed, or the opposite: being so fidgety or restless that you have been moving around a lot more than usual',
            'Κινείστε ή μιλάτε τόσο αργά που θα μπορούσαν να το προσέξουν οι άλλοι, ή το αντίθετο: τόσο ανήσυχος/η που κινείστε πολύ περισσότερο από ό,τι συνήθως'),
        (9, 'Thoughts that you would be better off dead, or of hurting yourself in some way',
            'Σκέψεις ότι θα ήταν καλύτερα να είστε νεκρός/ή ή ότι θα κάνατε κακό στον εαυτό σας με κάποιον τρόπο')
       ) AS q (n, en, el)),
    jsonb_build_object(
        'method', 'sum', 'max', 27,
        'prompt', jsonb_build_object('en', 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
                                     'el', 'Τις τελευταίες 2 εβδομάδες, πόσο συχνά σας ενόχλησε καθένα από τα παρακάτω προβλήματα;'),
        'ranges', jsonb_build_array(
            jsonb_build_object('min', 0, 'max', 4, 'interpretation', 'minimal_depression', 'severity', 'minimal', 'alert', false,
                               'label', jsonb_build_object('en', 'Minimal depression', 'el', 'Ελάχιστη κατάθλιψη')),
            jsonb_build_object('min', 5, 'max', 9, 'interpretation', 'mild_depression', 'severity', 'mild', 'alert', false,
                               'label', jsonb_build_object('en', 'Mild depression', 'el', 'Ήπια κατάθλιψη')),
            jsonb_build_object('min', 10, 'max', 14, 'interpretation', 'moderate_depression', 'severity', 'moderate', 'alert', false,
                               'label', jsonb_build_object('en', 'Moderate depression', 'el', 'Μέτρια κατάθλιψη')),
            jsonb_build_object('min', 15, 'max', 19, 'interpretation', 'moderately_severe_depression', 'severity', 'moderately_severe', 'alert', false,
                               'label', jsonb_build_object('en', 'Moderately severe depression', 'el', 'Μέτρια προς σοβαρή κατάθλιψη')),
            jsonb_build_object('min', 20, 'max', 27, 'interpretation', 'severe_depression', 'severity', 'severe', 'alert', true,
                               'label', jsonb_build_object('en', 'Severe depression', 'el', 'Σοβαρή κατάθλιψη'))),
        'risk_items', jsonb_build_array(jsonb_build_object('question_id', 'phq9_9', 'above', 0))),
    jsonb_build_object('created_by', 'system', 'validated', true, 'references', jsonb_build_array('Kroenke2001')),
    true
), (
    'GAD-7 Anxiety Scale', 'GAD-7', 'clinical_assessment', '1.0', '{el,en}',
    (SELECT jsonb_agg(jsonb_build_object(
        'id', 'gad7_' || n, 'text', jsonb_build_object('en', en, 'el', el), 'type', 'likert',
        'scale', jsonb_build_object('min', 0, 'max', 3, 'labels', jsonb_build_object(
            'en', jsonb_build_array('Not at all', 'Several days', 'More than half the days', 'Nearly every day'),
            'el', jsonb_build_array('Καθόλου', 'Αρκετές μέρες', 'Περισσότερες από τις μισές μέρες', 'Σχεδόν κάθε μέρα'))),
        'required', true, 'scoring_weight', 1) ORDER BY n)
       FROM (VALUES
        (1, 'Feeling nervous, anxious, or on edge', 'Νιώθετε νευρικότητα, άγχος ή ένταση'),
        (2, 'Not being able to stop or control worrying', 'Δεν μπορείτε να σταματήσετε ή να ελέγξετε την ανησυχία'),
        (3, 'Worrying too much about different things', 'Ανησυχείτε υπερβολικά για διάφορα πράγματα'),
        (4, 'Trouble relaxing', 'Δυσκολεύεστε να χαλαρώσετε'),
        (5, 'Being so restless that it is hard to sit still', 'Είστε τόσο ανήσυχος/η που δυσκολεύεστε να μείνετε ακίνητος/η'),
        (6, 'Becoming easily annoyed or irritable', 'Ενοχλείστε ή εκνευρίζεστε εύκολα'),
        (7, 'Feeling afraid, as if something awful might happen', 'Φοβάστε σαν να πρόκειται να συμβεί κάτι φοβερό')
       ) AS q (n, en, el)),
    jsonb_build_object(
        'method', 'sum', 'max', 21,
        'prompt', jsonb_build_object('en', 'Over the last 2 weeks, how often have you been bothered by the following problems?',
                                     'el', 'Τις τελευταίες 2 εβδομάδες, πόσο συχνά σας ενόχλησαν τα παρακάτω προβλήματα;'),
        'ranges', jsonb_build_array(
            jsonb_build_object('min', 0, 'max', 4, 'interpretation', 'minimal_anxiety', 'severity', 'minimal', 'alert', false,
                               'label', jsonb_build_object('en', 'Minimal anxiety', 'el', 'Ελάχιστο άγχος')),
            jsonb_build_object('min', 5, 'max', 9, 'interpretation', 'mild_anxiety', 'severity', 'mild', 'alert', false,
                               'label', jsonb_build_object('en', 'Mild anxiety', 'el', 'Ήπιο άγχος')),
            jsonb_build_object('min', 10, 'max', 14, 'interpretation', 'moderate_anxiety', 'severity', 'moderate', 'alert', false,
                               'label', jsonb_build_object('en', 'Moderate anxiety', 'el', 'Μέτριο άγχος')),
            jsonb_build_object('min', 15, 'max', 21, 'interpretation', 'severe_anxiety', 'severity', 'severe', 'alert', true,
                               'label', jsonb_build_object('en', 'Severe anxiety', 'el', 'Σοβαρό άγχος')))),
    jsonb_build_object('created_by', 'system', 'validated', true, 'references', jsonb_build_array('Spitzer2006')),
    true
), (
    'WHO-5 Well-Being Index', 'WHO-5', 'clinical_assessment', '1.0', '{el,en}',
    (SELECT jsonb_agg(jsonb_build_object(
        'id', 'who5_' || n, 'text', jsonb_build_object('en', en, 'el', el), 'type', 'likert',
        'scale', jsonb_build_object('min', 0, 'max', 5, 'labels', jsonb_build_object(
            'en', jsonb_build_array('At no time', 'Some of the time', 'Less than half of the time', 'More than half of the time', 'Most of the time', 'All of the time'),
            'el', jsonb_build_array('Ποτέ', 'Λίγες φορές', 'Λιγότερο από τον μισό χρόνο', 'Περισσότερο από τον μισό χρόνο', 'Τον περισσότερο χρόνο', 'Όλη την ώρα'))),
        'required', true, 'scoring_weight', 1) ORDER BY n)
       FROM (VALUES
        (1, 'I have felt cheerful and in good spirits', 'Ένιωθα χαρούμενος/η και σε καλή διάθεση'),
        (2, 'I have felt calm and relaxed', 'Ένιωθα ήρεμος/η και χαλαρός/ή'),
        (3, 'I have felt active and vigorous', 'Ένιωθα δραστήριος/α και γεμάτος/η ενέργεια'),
        (4, 'I woke up feeling fresh and rested', 'Ξυπνούσα φρέσκος/ια και ξεκούραστος/η'),
        (5, 'My daily life has been filled with things that interest me', 'Η καθημερινότητά μου ήταν γεμάτη πράγματα που με ενδιαφέρουν')
       ) AS q (n, en, el)),
    -- The raw score 0–25; the percentage is four times it. ≤ 7 (≤ 28 %) suggests depression, ≤ 12 (≤ 50 %) poor well-being.
    jsonb_build_object(
        'method', 'sum', 'max', 25, 'percentage_multiplier', 4,
        'prompt', jsonb_build_object('en', 'Over the last two weeks:', 'el', 'Τις τελευταίες δύο εβδομάδες:'),
        'ranges', jsonb_build_array(
            jsonb_build_object('min', 0, 'max', 7, 'interpretation', 'likely_depression', 'severity', 'severe', 'alert', true,
                               'label', jsonb_build_object('en', 'Very low well-being (screen for depression)', 'el', 'Πολύ χαμηλή ευεξία (έλεγχος για κατάθλιψη)')),
            jsonb_build_object('min', 8, 'max', 12, 'interpretation', 'poor_wellbeing', 'severity', 'moderate', 'alert', false,
                               'label', jsonb_build_object('en', 'Poor well-being', 'el', 'Χαμηλή ευεξία')),
            jsonb_build_object('min', 13, 'max', 25, 'interpretation', 'adequate_wellbeing', 'severity', 'minimal', 'alert', false,
                               'label', jsonb_build_object('en', 'Adequate well-being', 'el', 'Επαρκής ευεξία')))),
    jsonb_build_object('created_by', 'system', 'validated', true, 'references', jsonb_build_array('WHO1998')),
    true
);
