from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "acompana.audit"
    verbose_name = _("Audit trail")

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.backends.signals import connection_created
        from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

        from acompana.audit import chain, recording

        connection_created.connect(chain.register_sqlite_function, dispatch_uid="audit-chain")

        # Per model, so other apps' deletes keep Django's fast path.
        for app_label in recording.AUDITED_APPS:
            for model in self.apps.get_app_config(app_label).get_models():
                pre_save.connect(recording.remember_before, sender=model)
                post_save.connect(recording.record_save, sender=model)
                post_delete.connect(recording.record_delete, sender=model)
        m2m_changed.connect(recording.record_m2m, dispatch_uid="audit-m2m")
        user_logged_in.connect(recording.record_login, dispatch_uid="audit-login")
        user_logged_out.connect(recording.record_logout, dispatch_uid="audit-logout")
        user_login_failed.connect(recording.record_login_failed, dispatch_uid="audit-failed")
        user_locked_out.connect(recording.record_locked_out, dispatch_uid="audit-locked-out")
