"""What several audiences of the web layer share: the authenticated request type, the report of a
service's refusal, file and PDF responses, the commune field and the two-step trainee import.

An audience package (``web/<audience>/``) imports from here, never from another audience."""
