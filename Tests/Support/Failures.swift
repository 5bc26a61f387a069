public import PiaojueDomain

/// The error `body` throws, when it is one a clerk would see (with its code), else nil.
public func failure<T>(of body: () throws -> T) -> (any ClerkFacingError)? {
    do {
        _ = try body()
        return nil
    } catch let error as any ClerkFacingError {
        return error
    } catch {
        return nil
    }
}

/// The stable code of the error `body` throws (nil when it throws none, or one without a code).
public func code<T>(of body: () throws -> T) -> String? { failure(of: body)?.code }
