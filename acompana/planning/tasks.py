"""The work plan's tasks for the background worker."""

from django_tasks import task


@task()
def build_whole_plan_files(program_id: int, lang: str) -> None:
    """Build the files of the whole plan's current version (what the coordination downloads),
    so the next download after a change is served from storage at once."""
    from acompana.planning import files
    from acompana.planning.selectors import plan_document
    from acompana.programs.models import Program

    program = Program.objects.filter(pk=program_id).first()
    if program is not None:
        files.build_plan_files(files.plan_version(
            program=program, document=plan_document(program=program), lang=lang))
