"""Stay registrations: radar stay source, sightings, timeline, person-page section."""
