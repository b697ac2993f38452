"""The installable app's own routes: the service worker, the manifest, keys and sync."""

from __future__ import annotations

import base64
import json

from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from acompana.offline import selectors, services
from acompana.offline.models import DeviceKey

SESSION_KEY_ID = "offline_key_id"


def service_worker_view(request):
    """The service worker, served from the site's root so its scope is the whole site."""
    response = render(request, "offline/sw.js", content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def manifest_view(request):
    from django.templatetags.static import static

    return JsonResponse({
        "name": "Acompaña", "short_name": "Acompaña",
        "description": _("Your sessions, questionnaires and attendance, also without signal."),
        "lang": "es", "start_url": "/", "scope": "/", "display": "standalone",
        "background_color": "#fbfaf7", "theme_color": "#0b6e4f",
        "icons": [
            {"src": static("acompana/icons/icon.svg"), "sizes": "any", "type": "image/svg+xml",
             "purpose": "any"},
            {"src": static("acompana/icons/icon-maskable.svg"), "sizes": "any",
             "type": "image/svg+xml", "purpose": "maskable"},
            {"src": static("acompana/icons/icon-192.png"), "sizes": "192x192",
             "type": "image/png"},
            {"src": static("acompana/icons/icon-512.png"), "sizes": "512x512",
             "type": "image/png"},
        ]}, content_type="application/manifest+json")


def offline_page_view(request):
    """What the app shows for a page that was not kept on the phone, when there is no signal."""
    return render(request, "offline/offline.html")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def key_view(request):
    """This device's key for this login session, and the keys of what the same person left
    queued under earlier sessions (asked for by id: another person's are never given)."""
    person = request.actor.person
    key = DeviceKey.objects.filter(person=person,
                                   key_id=request.session.get(SESSION_KEY_ID)).first()
    if key is None:
        key = services.do_issue_device_key(by=person)
        request.session[SESSION_KEY_ID] = str(key.key_id)
    asked = [k for k in request.GET.get("tengo", "").split(",") if k]
    response = JsonResponse({
        "key_id": str(key.key_id), "key": _b64(bytes(key.secret)), "csrf": get_token(request),
        "person": person.code,
        "keys": {key_id: _b64(secret)
                 for key_id, secret in selectors.own_keys(person, asked).items()}})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def send_view(request):
    """One submission from the device's queue; answers what became of it."""
    try:
        body = json.loads(request.body or b"{}")
        submission = services.do_receive_submission(
            by=request.actor.person, submission_id=body.get("id", ""),
            kind=body.get("kind", ""), payload=body.get("payload") or {})
    except (ValueError, AttributeError):
        return JsonResponse({"status": "refused",
                             "message": _("The submission could not be read.")}, status=400)
    except services.SubmissionRefused as refused:
        return JsonResponse({"status": "refused", "message": str(refused)}, status=400)
    response = JsonResponse({"id": str(submission.submission_id), "status": submission.status,
                             "message": submission.message, "outcome": submission.outcome})
    response["Cache-Control"] = "no-store"
    return response


