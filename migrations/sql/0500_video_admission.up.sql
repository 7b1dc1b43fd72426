-- Video: the therapist admitted the client to this appointment's call. Kept with the appointment,
-- not in a node's memory, so a call that moves to another node (or reopens) does not send the
-- client back to the waiting room.
ALTER TABLE appointments ADD COLUMN client_admitted_at timestamptz;
