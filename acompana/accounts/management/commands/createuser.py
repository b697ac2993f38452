"""`acompana createuser PERSON USERNAME`: give a person of the program a login."""

from django.core.management.base import BaseCommand, CommandError

from acompana import policy
from acompana.accounts.services import AccountError, do_create_account
from acompana.programs.models import Person


class Command(BaseCommand):
    help = "Create a login for a person of the program (by their id in the program file)."

    def add_arguments(self, parser):
        parser.add_argument("person", help="the person's id, e.g. sup-01")
        parser.add_argument("username")
        parser.add_argument("--password", help="default: a generated password, printed once")

    def handle(self, *args, person: str, username: str, password: str | None, **options):
        found = Person.objects.filter(code=person).first()
        if found is None:
            raise CommandError(f"No person with id '{person}'. Load the program file first.")
        try:
            _, password = do_create_account(person=found, username=username, password=password,
                                             by=policy.OPERATOR)
        except AccountError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Account '{username}' for {found.name} ({found.get_role_display()}); "
                          f"password: {password}")
