"Errors the sandbox answers with: an HTTP status plus ShopRenter's innerCode."


class ApiError(Exception):
    'Becomes the answer status with body {"error": code, "message": message}'

    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code or status
        self.message = message
        self.headers = headers or {}

    def body(self):
        return {'error': self.code, 'message': self.message}


def not_found(what='Resource'):
    return ApiError(404, 40401, f'{what} not found')


def bad_data(message):
    return ApiError(400, 40005, message)
