class ReadOnlyAdminMixin:
    """Audit records and computed results: administrators read them; nobody adds, edits or deletes them by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
