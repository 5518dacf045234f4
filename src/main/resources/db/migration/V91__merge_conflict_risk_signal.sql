-- The service-owned signal the conflict radar keeps on both merge requests of a colliding pair (issue 28),
-- retracted when the pair stops colliding or either closes: PERMANENT, like files_blocked.
insert into signal_type (name, display_name, description, colour, decay_kind, max_intensity, service_owned,
                         built_in, created_at, created_by)
values ('merge_conflict_risk', 'Merge conflict risk',
        'Kept by the service while two open merge requests on one target would conflict or their hunks collide',
        '#b2182b', 'PERMANENT', 10, true, true, now(), 'service');
