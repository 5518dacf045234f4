-- Environment scopes (issue 27): the environments an agent may reach; null = every environment (the default).
alter table agent add column environments text[];
