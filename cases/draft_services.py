"""The rules of drafts and kept files (cases.drafts): keeping a chosen file across a form sent back with
errors, saving a half-written concern, claiming both when the concern is raised, and deleting what expired.

Every lookup is by the owner: another person's kept file or draft is, to these functions, not there.
"""

import datetime
import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.errors import DomainError

from .drafts import DRAFT_DAYS, KEPT_FILE_HOURS, ConcernDraft, KeptFile
from .sealed import SealError, storage_failure_refused
from .uploads import Detected, checked_before, display_name, inspect_upload

NO_LONGER_KEPT = (
    f"A file you chose earlier is no longer kept (files are kept for {KEPT_FILE_HOURS} hours, or "
    f"{DRAFT_DAYS} days with a draft). Choose it again."
)

FILES_NOT_KEPT = "The files you chose could not be kept, as the file storage failed: choose them again."


def kept_files_store(*, owner, files, draft=None):
    """Keep the chosen files for `owner`, sealed, so that they need not be chosen again. Each file passes
    the upload checks (once: the form has usually checked it already); a refused file is not kept.

    All or nothing: if one cannot be stored (DomainError, the storage failing), those stored before it are
    deleted, and no row is made."""
    kept = []
    try:
        for uploaded_file in files:
            detected = inspect_upload(uploaded_file, by=owner)
            row = KeptFile(
                id=uuid.uuid4(),
                owner=owner,
                draft=draft,
                original_name=display_name(uploaded_file.name),
                content_type=detected.content_type,
                extension=detected.extension,
                size=uploaded_file.size,
            )
            uploaded_file.seek(0)
            with storage_failure_refused():
                row.file.save("kept", uploaded_file, save=False)  # kept_path names it from the id.
            kept.append(row)
        KeptFile.objects.bulk_create(kept)
    except BaseException:
        for row in kept:
            row.file.delete(save=False)
        raise
    return kept


def kept_files_discard(*, owner, files):
    """Delete kept files their owner removed from the form (their stored files go once committed)."""
    KeptFile.objects.filter(owner=owner, pk__in=[kept.pk for kept in files]).delete()


def kept_file_upload(kept):
    """A kept file as an upload again, its earlier checks standing, for cases.evidence.evidence_add."""
    try:
        with kept.file.open("rb") as stored:
            upload = ContentFile(stored.read(), name=kept.original_name)
    except (SealError, FileNotFoundError) as error:  # its key removed too soon, or its file gone
        raise DomainError(
            f"“{kept.original_name}”, chosen earlier, can no longer be opened: tick “remove” beside it and "
            "choose it again."
        ) from error
    return checked_before(upload, Detected(kept.content_type, kept.extension))


def kept_files_claim(*, owner, files):
    """Lock `owner`'s kept files for attaching; DomainError if any is no longer theirs to claim (expired,
    or never theirs: another person's file is refused like one that has gone)."""
    wanted = {kept.pk for kept in files}
    if not wanted:
        return []
    claimable = KeptFile.objects.claimable(owner=owner).filter(pk__in=wanted)
    claimed = list(claimable.select_for_update(of=("self",)))
    if len(claimed) != len(wanted):
        raise DomainError(NO_LONGER_KEPT)
    return claimed


def _draft_of(reporter, draft):
    if draft is None:
        return None
    found = ConcernDraft.objects.select_for_update().filter(pk=draft.pk, reporter=reporter).first()
    if found is None:
        raise DomainError(f"That draft is no longer kept: drafts are deleted {DRAFT_DAYS} days after saving.")
    return found


@transaction.atomic
def draft_save(*, reporter, data, draft=None, files=(), kept_files=(), discarded_files=()):
    """Save a half-written concern for its reporter, with the files chosen so far, for DRAFT_DAYS from now.

    `data` is the form's fields as typed ({name: [values]}), unchecked: a draft may be incomplete. The
    files are kept with the draft (and live as long as it does); those removed on the form are deleted."""
    if not reporter.is_active or not reporter.has_perm("cases.add_case"):
        raise DomainError("Your account cannot raise concerns.")
    draft = _draft_of(reporter, draft) or ConcernDraft(reporter=reporter)
    draft.data = data
    draft.saved_at = timezone.now()
    draft.save()
    kept_files_discard(owner=reporter, files=discarded_files)
    discarded = {kept.pk for kept in discarded_files}
    kept = kept_files_claim(owner=reporter, files=[k for k in kept_files if k.pk not in discarded])
    KeptFile.objects.filter(pk__in=[k.pk for k in kept]).update(draft=draft)
    kept_files_store(owner=reporter, files=files, draft=draft)
    return draft


@transaction.atomic
def draft_delete(*, draft, by):
    """The reporter deletes their draft, and the files kept with it."""
    draft = _draft_of(by, draft)
    draft.delete()


def drafts_expire(*, now=None):
    """Delete the drafts not saved for DRAFT_DAYS (with their files) and the kept files nobody claimed in
    KEPT_FILE_HOURS. Deleting twice deletes nothing more: two runs at once are harmless. Returns how many
    drafts and files were deleted."""
    now = now or timezone.now()
    deleted = 0
    with transaction.atomic():
        expired = ConcernDraft.objects.filter(saved_at__lte=now - datetime.timedelta(days=DRAFT_DAYS))
        _, by_model = expired.delete()
        deleted += sum(by_model.values())
    with transaction.atomic():
        deleted += KeptFile.objects.expired(now=now).delete()[0]
    return deleted
