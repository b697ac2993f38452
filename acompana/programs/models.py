"""The program's people and places: who works where, in which group, supervised by whom."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Program(models.Model):
    """A CHW program, such as Compañeros En Salud's Acompañantes."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=2)
    time_zone = models.CharField(_("time zone"), max_length=64)
    default_language = models.CharField(_("default language"), max_length=8, default="es")
    planning = models.JSONField(_("planning rules"), default=dict, blank=True,
                                help_text=_("the program file's planning section"))
    care = models.JSONField(_("path to care"), default=dict, blank=True,
                            help_text=_("the program file's care section"))
    paper_size = models.CharField(
        _("paper size"), max_length=10, blank=True,
        choices=[("letter", _("Letter")), ("a4", "A4")],
        help_text=_("empty: the paper used in the program's country"))
    reminders = models.JSONField(_("session reminders"), default=dict, blank=True,
                                 help_text=_("the program file's reminders section"))

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name

    @property
    def paper(self) -> str:
        """The paper its forms print on: its own setting, else its country's."""
        from acompana.domain.paper import paper_for_country

        return self.paper_size or paper_for_country(self.country)


class Community(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="communities")
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=200)
    municipality = models.CharField(_("municipality"), max_length=200, blank=True)
    travel_minutes_from_hub = models.PositiveIntegerField(_("travel minutes from hub"), default=0)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [models.UniqueConstraint(fields=["program", "code"],
                                               name="unique_community_code")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ACOMPANANTE = "acompanante", _("Acompañante")
    SUPERVISOR = "supervisor", _("Supervisor")
    COORDINATOR = "coordinator", _("Coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    CLINICIAN = "clinician", _("Mental-health clinician")
    AUDITOR = "auditor", _("Auditor")


class Provenance(models.TextChoices):
    """How a person's record came to exist: only the first two count toward group results."""

    PROGRAM_FILE = "program-file", _("program file")
    SERVICE = "service", _("audited service")
    OTHER = "other", _("other (admin or shell)")


class Person(models.Model):
    """Anyone in the program; a login account is optional (many Acompañantes have none)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="people")
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="people")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="person")
    # How alerts reach her; from the program file, then edited by the person herself.
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    whatsapp = models.CharField(_("WhatsApp"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    # Kept out of the audit trail in clear: an entry says the field changed, not to what.
    AUDIT_REDACTED_FIELDS = frozenset({"phone", "whatsapp", "email"})

    # Set by load-program and the audited services only (not editable in the admin): a record
    # made anywhere else never counts toward a group's minimum, so made-up people unlock nothing.
    provenance = models.CharField(_("created by"), max_length=20, choices=Provenance.choices,
                                  default=Provenance.OTHER, editable=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(fields=["program", "code"],
                                               name="unique_person_code")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A group of Acompañantes that meets monthly in its community."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="groups")
    code = models.SlugField(_("code"))
    name = models.CharField(_("name"), max_length=200)
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="groups")
    meeting_weekday = models.PositiveSmallIntegerField(_("usual meeting weekday"),
                                                       choices=Weekday.choices)
    meeting_week_of_month = models.SmallIntegerField(
        _("usual meeting week of month"), help_text=_("1 to 4, or -1 for the last week"))
    meeting_start = models.TimeField(_("usual meeting start"))
    meeting_place = models.CharField(_("meeting place"), max_length=200, blank=True,
                                     help_text=_("Printed in the facilitator guides."))
    facilitators = models.ManyToManyField(Person, blank=True, related_name="facilitated_groups",
                                          verbose_name=_("facilitators"))

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [models.UniqueConstraint(fields=["program", "code"],
                                               name="unique_group_code")]
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Supervision(models.Model):
    """A supervisor's responsibility for a group over a period (history is kept)."""

    supervisor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="supervisions")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="supervisions")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        constraints = [models.UniqueConstraint(fields=["supervisor", "group", "start"],
                                               name="unique_supervision")]

    def __str__(self) -> str:
        return f"{self.supervisor} → {self.group}"


class Membership(models.Model):
    """An Acompañante's time in a group: joining and leaving keep history."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    joined = models.DateField(_("joined"))
    left = models.DateField(_("left"), null=True, blank=True)
    # When the row and its leaving were written, not the dates typed into them: a wave's group
    # results count only memberships written before the wave opened (frozen per wave).
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    left_recorded_at = models.DateTimeField(_("leaving recorded at"), null=True, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["person", "group", "joined"],
                                               name="unique_membership")]
        ordering = ["joined"]

    def __str__(self) -> str:
        return f"{self.person} ∈ {self.group}"

    def save(self, *args, **kwargs) -> None:
        """A membership never moves to another person or group (that is a new membership, with
        its own time of recording); a change of leaving date is stamped with when it was made."""
        if self.pk is not None:
            stored = Membership.objects.filter(pk=self.pk).values(
                "person_id", "group_id", "left").first()
            if stored is not None:
                if (stored["person_id"], stored["group_id"]) != (self.person_id, self.group_id):
                    raise ValueError("a membership cannot change person or group; end it and "
                                     "record a new one")
                if stored["left"] != self.left:
                    self.left_recorded_at = timezone.now()
                    if kwargs.get("update_fields") is not None:
                        kwargs["update_fields"] = {*kwargs["update_fields"], "left_recorded_at"}
        elif self.left is not None:
            self.left_recorded_at = timezone.now()
        super().save(*args, **kwargs)
