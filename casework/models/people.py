from datetime import date

from django.conf import settings
from django.db import models

from casework.models.cases import Case


class Household(models.Model):
    """People who live together, so that a family case can be seen whole."""

    name = models.CharField(max_length=200, help_text="For example: the Smith household, 12 Acre Road")
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Person(models.Model):
    """One record per real person, reused across cases: that is how repeat victims and perpetrators are found."""

    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        NOT_KNOWN = "not_known", "Not known"

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    aliases = models.CharField(max_length=300, blank=True, help_text="Other names, separated by commas")
    date_of_birth = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=20, choices=Gender.choices, default=Gender.NOT_KNOWN)
    address = models.CharField(max_length=300, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    vulnerability_notes = models.TextField(blank=True)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name_plural = "people"
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="person_name_idx"),
            models.Index(fields=["postcode"], name="person_postcode_idx"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int | None:
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))

    @property
    def age(self) -> int | None:
        from django.utils import timezone

        return self.age_on(timezone.localdate())

    @property
    def is_under_18(self) -> bool:
        return self.age is not None and self.age < 18


class CasePerson(models.Model):
    """A person's part in a case."""

    class Role(models.TextChoices):
        PERPETRATOR = "perpetrator", "Perpetrator or subject"
        VICTIM = "victim", "Victim or complainant"
        WITNESS = "witness", "Witness"
        PARENT_GUARDIAN = "parent_guardian", "Parent or guardian"
        OTHER = "other", "Other"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_people")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_links")
    role = models.CharField(max_length=20, choices=Role.choices)
    notes = models.CharField(max_length=300, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["role", "person__last_name"]
        constraints = [models.UniqueConstraint(fields=["case", "person", "role"], name="case_person_unique_role")]
        indexes = [
            models.Index(fields=["person", "role"], name="case_person_by_person_idx"),
            # A search by name finds people, then their cases: from this index alone, without reading a link row
            # for each of the (for a common surname, thousands of) people found.
            models.Index(fields=["person", "case"], name="case_person_cases_idx"),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()}) on {self.case}"
