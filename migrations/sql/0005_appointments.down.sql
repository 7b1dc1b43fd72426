DROP TABLE IF EXISTS appointments CASCADE;
DROP TABLE IF EXISTS recurring_appointments CASCADE;
DROP TABLE IF EXISTS appointment_types CASCADE;
