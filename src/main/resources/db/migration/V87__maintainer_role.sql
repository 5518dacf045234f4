-- Creating environments is an admin or maintainer right (issue 27). A maintainer otherwise works as an agent does.
insert into role (name, description, read_only, built_in) values
    ('maintainer', 'Creates environments; otherwise works as an agent', false, true)
on conflict (name) do nothing;
insert into role_slice (role, reads, writes, reinforces) values ('maintainer', '{*}', '{*}', '{}')
on conflict (role) do nothing;
