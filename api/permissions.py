from rest_framework.permissions import BasePermission


class KeepsDisciplinaryRecords(BasePermission):
    """HR only. The Head of Business and Governance reads records on the pages, not through the API.

    Refused before any record is looked up, so the answer says nothing about whether a record exists.
    """

    message = "Only HR may read disciplinary records through the API."

    def has_permission(self, request, view):
        return request.user.has_perm("discipline.manage_disciplinary_records")
