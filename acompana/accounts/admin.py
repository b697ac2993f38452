"""Logins are not in the back office: they change through the accounts services and pages,
which ask the policy who may grant what and write every change to the audit trail."""

from django.contrib import admin
from django.contrib.auth import admin as auth_admin  # registers User and Group: undone below
from django.contrib.auth.models import Group, User

del auth_admin
for model in (User, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
